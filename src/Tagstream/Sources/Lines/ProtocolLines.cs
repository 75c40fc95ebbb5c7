namespace Tagstream.Sources.Lines;

/// <summary>Small operations on runs of whole protocol lines.</summary>
internal static class ProtocolLines
{
    /// <summary>The length of the first <paramref name="count"/> lines of <paramref name="lines"/> (fewer if it has fewer).</summary>
    public static int TakeLines(ReadOnlySpan<byte> lines, long count, out long taken)
    {
        int end = 0;
        taken = 0;
        while (taken < count && end < lines.Length)
        {
            int newline = lines[end..].IndexOf((byte)'\n');
            end = newline < 0 ? lines.Length : end + newline + 1;
            taken++;
        }

        return end;
    }

    /// <summary>
    /// The length of the longest prefix of <paramref name="bytes"/> that ends with <c>\n</c> and holds no line longer
    /// than <paramref name="maxLineBytes"/>; 0 when the first <c>maxLineBytes + 1</c> bytes hold no <c>\n</c>.
    /// </summary>
    /// <remarks>
    /// It steps from cut to cut, each the last <c>\n</c> within <c>maxLineBytes + 1</c> bytes after the previous one,
    /// so every line between two cuts fits the limit. Lines are short, so each backward search stops after a few
    /// bytes: the cost is a few steps per MiB, not a scan of the bytes.
    /// </remarks>
    public static int WholeLines(ReadOnlySpan<byte> bytes, int maxLineBytes)
    {
        int cut = 0;
        while (cut < bytes.Length)
        {
            int window = Math.Min(bytes.Length - cut, maxLineBytes + 1);
            int last = bytes.Slice(cut, window).LastIndexOf((byte)'\n');
            if (last < 0)
            {
                break;
            }

            cut += last + 1;
        }

        return cut;
    }
}
