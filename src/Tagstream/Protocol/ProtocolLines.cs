namespace Tagstream.Protocol;

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
}
