using System.Buffers;
using System.Text;

namespace Tagstream.Hashtags;

/// <summary>
/// Folds hashtags to the form the line protocol carries: Unicode NFC, then lower case (invariant culture), no hash sign.
/// </summary>
public static class HashtagNormalizer
{
    /// <summary>Normalises a tag found by <see cref="HashtagExtractor"/>: NFC, then lower case (invariant culture).</summary>
    /// <param name="tag">A tag without its hash sign; it must be well-formed UTF-16.</param>
    public static string Normalize(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var composed = tag.IsNormalized(NormalizationForm.FormC) ? tag : tag.Normalize(NormalizationForm.FormC);
        return composed.ToLowerInvariant();
    }

    /// <summary>
    /// Normalises a tag a source gave in its own entities (X <c>hashtags[].tag</c>, Bluesky tag facets, Mastodon
    /// <c>tags[].name</c>), which Tagstream does not control: leading hash signs are removed, and a tag that is then
    /// empty, holds whitespace or control characters (which would split or break a protocol line) or is not
    /// well-formed UTF-16 is refused.
    /// </summary>
    /// <param name="raw">The tag as the source sent it.</param>
    /// <param name="tag">The normalised tag.</param>
    /// <returns>False when the tag is refused.</returns>
    public static bool TryNormalizeEntity(string? raw, out string tag)
    {
        tag = string.Empty;
        if (raw is null)
        {
            return false;
        }

        var span = raw.AsSpan().TrimStart("#\uFF03");
        if (span.IsEmpty || !IsProtocolSafe(span))
        {
            return false;
        }

        tag = Normalize(span.Length == raw.Length ? raw : span.ToString());
        return true;
    }

    private static bool IsProtocolSafe(ReadOnlySpan<char> tag)
    {
        while (!tag.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(tag, out var rune, out var length) != OperationStatus.Done
                || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                return false;
            }

            tag = tag[length..];
        }

        return true;
    }
}
