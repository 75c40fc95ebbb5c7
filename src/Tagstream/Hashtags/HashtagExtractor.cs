using System.Buffers;
using System.Text;

namespace Tagstream.Hashtags;

/// <summary>
/// Finds hashtags in raw post text following the twitter-text rules
/// (https://github.com/twitter/twitter-text/tree/master/conformance, extract.yml section hashtags).
/// </summary>
/// <remarks>
/// A hashtag is a hash sign (<c>#</c> or <c>＃</c>) that does not follow a tag character or <c>&amp;</c> (an emoji
/// variation selector is allowed before it), then the longest run of tag characters (letters, marks, decimal digits,
/// <c>_</c> and the script joiners) holding at least one letter. A run followed by a hash sign or by <c>://</c> is not
/// a tag, and neither is one inside a URL. Characters are read as Unicode scalar values, so letters outside the basic
/// multilingual plane work. The tags are returned as written: see <see cref="HashtagNormalizer"/> to fold them.
/// </remarks>
public static class HashtagExtractor
{
    /// <summary>Returns the tags of <paramref name="text"/>, without their hash signs, in order, duplicates kept.</summary>
    /// <param name="text">The post text (not HTML-escaped).</param>
    public static IReadOnlyList<string> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<HashtagSpan>();
        FindSpans(text, spans);
        return spans.ConvertAll(span => text.Substring(span.TagStart, span.TagLength));
    }

    /// <summary>Appends where each hashtag of <paramref name="text"/> is, in order.</summary>
    /// <param name="text">The post text (not HTML-escaped).</param>
    /// <param name="spans">Receives each hashtag's span, hash sign included, in UTF-16 code units.</param>
    public static void FindSpans(ReadOnlySpan<char> text, List<HashtagSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var urls = new UrlDetector();
        for (var i = 0; i < text.Length; i++)
        {
            if (!HashtagCharacters.IsHashSign(text[i]) || !StartsTag(text, i))
            {
                continue;
            }

            var end = ScanTag(text, i + 1, out var hasLetter);
            if (end == i + 1 || !hasLetter || EndsBadly(text[end..]) || urls.IsInsideUrl(text, i))
            {
                // The characters scanned cannot start another tag: a hash sign inside them follows a tag character.
                continue;
            }

            spans.Add(new HashtagSpan(i, end - i));
            i = end - 1;
        }
    }

    /// <summary>Whether the hash sign at <paramref name="hash"/> may start a tag, judging by its neighbours.</summary>
    private static bool StartsTag(ReadOnlySpan<char> text, int hash)
    {
        // A keycap emoji (#️⃣) is a hash sign followed by U+FE0F and/or U+20E3, not a tag.
        if (hash + 1 < text.Length && text[hash + 1] is '\uFE0F' or '\u20E3')
        {
            return false;
        }

        if (hash == 0)
        {
            return true;
        }

        if (Rune.DecodeLastFromUtf16(text[..hash], out var previous, out _) != OperationStatus.Done)
        {
            // A lone surrogate is no tag character.
            return true;
        }

        return previous.Value != '&'
            && (HashtagCharacters.IsVariationSelector(previous) || !HashtagCharacters.IsTagCharacter(previous));
    }

    private static int ScanTag(ReadOnlySpan<char> text, int start, out bool hasLetter)
    {
        hasLetter = false;
        var i = start;
        while (i < text.Length
            && Rune.DecodeFromUtf16(text[i..], out var rune, out var length) == OperationStatus.Done
            && HashtagCharacters.IsTagCharacter(rune))
        {
            hasLetter |= HashtagCharacters.IsLetter(rune);
            i += length;
        }

        return i;
    }

    private static bool EndsBadly(ReadOnlySpan<char> after) =>
        (!after.IsEmpty && HashtagCharacters.IsHashSign(after[0])) || after.StartsWith("://", StringComparison.Ordinal);
}
