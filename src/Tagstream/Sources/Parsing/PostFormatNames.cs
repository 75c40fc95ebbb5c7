namespace Tagstream.Sources.Parsing;

/// <summary>The names of <see cref="PostFormat"/> values on the command line and in messages.</summary>
public static class PostFormatNames
{
    private static readonly (PostFormat Format, string Name)[] Names =
    [
        (PostFormat.Auto, "auto"),
        (PostFormat.Protocol, "protocol"),
        (PostFormat.XApiV2, "x"),
        (PostFormat.TwitterV11, "v11"),
        (PostFormat.Jetstream, "jetstream"),
        (PostFormat.MastodonSse, "mastodon-sse"),
        (PostFormat.MastodonWebSocket, "mastodon-ws"),
        (PostFormat.Text, "text"),
        (PostFormat.JsonlText, "jsonl-text"),
    ];

    /// <summary>Every name, in the order of the formats: <c>auto</c>, <c>protocol</c>, <c>x</c>, <c>v11</c> ...</summary>
    public static IReadOnlyList<string> All { get; } = Array.ConvertAll(Names, static n => n.Name);

    /// <summary>The name of a format, for example <c>mastodon-sse</c>.</summary>
    public static string NameOf(PostFormat format) =>
        Array.Find(Names, n => n.Format == format).Name ?? throw new ArgumentOutOfRangeException(nameof(format));

    /// <summary>Finds the format with the given name (ordinal, case-insensitive).</summary>
    public static bool TryParse(string? name, out PostFormat format)
    {
        foreach (var (candidate, candidateName) in Names)
        {
            if (string.Equals(name, candidateName, StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }

        format = PostFormat.Auto;
        return false;
    }
}
