namespace Tagstream.Hashtags;

/// <summary>
/// Decides whether a position of a text lies inside a URL, because twitter-text drops hashtags that overlap URLs
/// (<c>https://example.com/#anchor</c> holds no hashtag).
/// </summary>
/// <remarks>
/// twitter-text finds URLs with a full URL grammar and a list of top-level domains. This is a smaller rule that covers
/// the URLs that can hold a hash sign after a non-word character: the whitespace-delimited word holding the position
/// is a URL when, before the position, it contains <c>://</c>, starts with <c>www.</c>, or starts with a host name
/// (labels joined by dots, ending in a top-level domain of two or more ASCII letters) followed by <c>/</c>.
/// </remarks>
internal static class UrlDetector
{
    public static bool IsInsideUrl(ReadOnlySpan<char> text, int index)
    {
        var wordStart = index;
        while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1]))
        {
            wordStart--;
        }

        var prefix = text[wordStart..index];
        if (prefix.IsEmpty)
        {
            return false;
        }

        if (prefix.Contains("://", StringComparison.Ordinal))
        {
            return true;
        }

        // Opening punctuation such as "(" may precede a URL in running text.
        var start = 0;
        while (start < prefix.Length && !char.IsAsciiLetterOrDigit(prefix[start]))
        {
            start++;
        }

        prefix = prefix[start..];
        if (prefix.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var slash = prefix.IndexOf('/');
        return slash > 0 && IsHostName(prefix[..slash]);
    }

    private static bool IsHostName(ReadOnlySpan<char> host)
    {
        var lastDot = host.LastIndexOf('.');
        if (lastDot <= 0)
        {
            return false;
        }

        var topLevel = host[(lastDot + 1)..];
        if (topLevel.Length < 2 || topLevel.ContainsAnyExcept(AsciiLetters))
        {
            return false;
        }

        var labels = host[..lastDot];
        foreach (var range in labels.Split('.'))
        {
            var label = labels[range];
            if (label.IsEmpty || label[0] == '-' || label.ContainsAnyExcept(HostCharacters))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static readonly System.Buffers.SearchValues<char> HostCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
}
