using System.Buffers;

namespace Tagstream.Hashtags;

/// <summary>
/// Decides whether positions of a text lie inside a URL, because twitter-text drops hashtags that overlap URLs
/// (<c>https://example.com/#anchor</c> holds no hashtag). Asked about increasing positions of one text, it reads each
/// character a bounded number of times, so a huge text without whitespace costs linear time.
/// </summary>
/// <remarks>
/// twitter-text finds URLs with a full URL grammar and a list of top-level domains. This is a smaller rule that covers
/// the URLs that can hold a hash sign after a non-word character. Within the run of non-whitespace characters before the
/// position, a URL is: anything with <c>://</c> (a scheme), or a host name (ASCII labels joined by dots, ending in a
/// top-level domain of two or more letters, such as <c>www.example.org</c>) followed by a path (<c>/</c>) or a query
/// (<c>?</c>). Internationalised host names written in Unicode are not recognised.
/// </remarks>
internal struct UrlDetector
{
    private static readonly SearchValues<char> AsciiLetters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static readonly SearchValues<char> LabelCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

    private static readonly SearchValues<char> HostCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.");

    private int _wordStart;
    private int _scannedTo;
    private bool _isUrl;

    /// <summary>Whether <paramref name="index"/> lies inside a URL; each call must pass a position at or after the previous one.</summary>
    public bool IsInsideUrl(ReadOnlySpan<char> text, int index)
    {
        // Whitespace since the last call starts a new word; a URL ends at whitespace.
        for (var i = index - 1; i >= _scannedTo; i--)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                _wordStart = i + 1;
                _scannedTo = i + 1;
                _isUrl = false;
                break;
            }
        }

        if (_isUrl)
        {
            _scannedTo = index;
            return true;
        }

        // A "://" may straddle the part already read.
        var schemeFrom = Math.Max(_wordStart, _scannedTo - 2);
        _isUrl = text[schemeFrom..index].Contains("://", StringComparison.Ordinal);
        for (var i = _scannedTo; i < index && !_isUrl; i++)
        {
            if (text[i] is '/' or '?')
            {
                var hostStart = i;
                while (hostStart > _wordStart && HostCharacters.Contains(text[hostStart - 1]))
                {
                    hostStart--;
                }

                _isUrl = IsHostName(text[hostStart..i]);
            }
        }

        _scannedTo = index;
        return _isUrl;
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
