using System.Text;
using System.Text.Json;

namespace Tagstream.Sources.Parsing;

/// <summary>
/// Reads raw post texts, for <c>tagstream extract</c> and replays of text dumps: <c>text</c> holds one post text per
/// line; <c>jsonl-text</c> holds one JSON string per line, so a text may contain newlines.
/// </summary>
internal static class TextPostParser
{
    /// <summary>The <see cref="Post.Source"/> of posts read from raw texts.</summary>
    public const string SourceName = "text";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads one line of text as a post; an empty line is a post without hashtags, as in the line protocol.</summary>
    /// <param name="line">The UTF-8 line without its line ending.</param>
    /// <param name="id">The post's id, for example its line number.</param>
    public static ParseOutcome ParseText(ReadOnlySpan<byte> line, string id)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            return ParseOutcome.Malformed("invalid UTF-8");
        }

        return ParseOutcome.ForPost(new Post(SourceName, id, null, null, null, PostHashtags.FromText(text)), text);
    }

    /// <summary>Reads one line holding a JSON string as a post; a blank line is skipped.</summary>
    /// <param name="line">The UTF-8 line.</param>
    /// <param name="id">The post's id, for example its line number.</param>
    public static ParseOutcome ParseJsonText(ReadOnlySpan<byte> line, string id)
    {
        if (JsonFields.IsBlank(line))
        {
            return ParseOutcome.Skipped(SkipReason.KeepAlive);
        }

        string text;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return ParseOutcome.Malformed("not a JSON string");
            }

            text = reader.GetString()!;

            // Returns false at the end of the line and throws on anything but whitespace after the string.
            _ = reader.Read();
        }
        catch (JsonException)
        {
            return ParseOutcome.Malformed("invalid JSON");
        }
        catch (InvalidOperationException)
        {
            return ParseOutcome.Malformed("invalid UTF-8 in a JSON string");
        }

        return ParseOutcome.ForPost(new Post(SourceName, id, null, null, null, PostHashtags.FromText(text)), text);
    }
}
