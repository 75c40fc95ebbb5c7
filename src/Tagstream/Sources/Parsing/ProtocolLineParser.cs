using System.Text;
using Tagstream.Sources.Lines;

namespace Tagstream.Sources.Parsing;

/// <summary>
/// Reads a line of the Tagstream line protocol (see docs/protocol.md) as a post: its tokens (by the <see cref="TokenRule"/>) are its
/// hashtags, kept exactly as sent (the protocol counts tokens as sent, so a replay must not fold them again).
/// </summary>
internal static class ProtocolLineParser
{
    /// <summary>The <see cref="Post.Source"/> of posts read from protocol lines.</summary>
    public const string SourceName = "protocol";

    /// <summary>The problem noted on a post that lost tokens which are not valid UTF-8 or hold a NUL byte.</summary>
    public const string DroppedTokenProblem = "protocol token that is not valid UTF-8 or holds a NUL byte dropped";

    /// <summary>Reads one line (without its <c>\n</c>; a trailing <c>\r</c> is whitespace).</summary>
    /// <param name="line">The UTF-8 line.</param>
    /// <param name="id">The post's id, for example its line number.</param>
    /// <returns>
    /// A post with the line's valid tokens; when tokens were dropped, <see cref="ParseOutcome.Problem"/> is
    /// <see cref="DroppedTokenProblem"/>, as the protocol drops the bad token and keeps the others.
    /// </returns>
    public static ParseOutcome Parse(ReadOnlySpan<byte> line, string id)
    {
        var tokens = new List<Range>();
        var dropped = TokenRule.Split(line, tokens) > 0;
        var tags = new List<string>(tokens.Count);
        foreach (var token in tokens)
        {
            tags.Add(Encoding.UTF8.GetString(line[token]));
        }

        var post = new Post(SourceName, id, null, null, null, tags);
        return dropped
            ? new ParseOutcome(ParseOutcomeKind.Post, post, SkipReason.None, null, DroppedTokenProblem, null, null)
            : ParseOutcome.ForPost(post, null);
    }
}
