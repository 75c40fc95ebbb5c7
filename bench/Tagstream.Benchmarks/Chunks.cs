namespace Tagstream.Benchmarks;

/// <summary>Cuts a buffer of lines into chunks of whole lines, as the line chunker hands them to the counter.</summary>
internal static class Chunks
{
    public static List<ArraySegment<byte>> OfWholeLines(byte[] data, int size)
    {
        var chunks = new List<ArraySegment<byte>>();
        for (var start = 0; start < data.Length;)
        {
            var end = Math.Min(start + size, data.Length);
            if (end < data.Length)
            {
                end = start + data.AsSpan(start, end - start).LastIndexOf((byte)'\n') + 1;
            }

            chunks.Add(new ArraySegment<byte>(data, start, end - start));
            start = end;
        }

        return chunks;
    }
}
