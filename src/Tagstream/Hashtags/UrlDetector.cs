using System.Buffers;

namespace Tagstream.Hashtags;

/// <summary>
/// Decides whether a position of a text lies inside a URL, because twitter-text drops hashtags that overlap URLs
/// (<c>https://example.com/#anchor</c> holds no hashtag).
/// </summary>
/// <remarks>
/// twitter-text finds URLs with a full URL grammar and a list of top-level domains. This is a smaller rule that covers
/// the URLs that can hold a hash sign after a non-word character. Within the run of non-whitespace characters before the
/// position, a URL is: anything with <c>://</c> (a scheme), or a host name (ASCII labels joined by dots, ending in a
/// top-level domain of two or more letters, such as <c>www.example.org</c>) followed by a path (<c>/</c>) or a query
/// (<c>?</c>). Internationalised host names written in Unicode are not recognised.
/// </remarks>
internal static class UrlDetector
{
    private static readonly SearchValues<char> AsciiLetters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static readonly SearchValues<char> LabelCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

    private static readonly SearchValues<char> HostCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.");

    public static bool IsInsideUrl(ReadOnlySpan<char> text, int index)
    {
        var wordStart = index;
        while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1]))
        {
            wordStart--;
        }

        var prefix = text[wordStart..index];
        if (prefix.Contains("://", StringComparison.Ordinal))
        {
            return true;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (prefix[i] is not ('/' or '?'))
            {
                continue;
            }

            var hostStart = i;
            while (hostStart > 0 && HostCharacters.Contains(prefix[hostStart - 1]))
            {
                hostStart--;
            }

            if (IsHostName(prefix[hostStart..i]))
            {
                return true;
            }
        }

        return false;
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
            if (label.IsEmpty || label[0] == '-' || label.ContainsAnyExcept(LabelCharacters))
            {
                return false;
            }
        }

        return true;
    }
}
