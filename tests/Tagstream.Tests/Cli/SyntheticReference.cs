using Tagstream.Sources;
using Tagstream.Sources.Synthetic;
using Tagstream.Tests.Counting;
using Xunit;

namespace Tagstream.Tests.Cli;

/// <summary>The bytes of a synthetic stream, made in-process, and the naive reference's counts of any range of its lines.</summary>
internal static class SyntheticReference
{
    public static async Task<byte[][]> LinesAsync(SyntheticOptions options, int posts)
    {
        var source = new SyntheticSource(options);
        var lines = new List<byte[]>(posts);
        while (lines.Count < posts)
        {
            PostChunk chunk = await source.ReadAsync(TestContext.Current.CancellationToken);
            ReadOnlySpan<byte> span = chunk.Lines.Span;
            while (!span.IsEmpty && lines.Count < posts)
            {
                int end = span.IndexOf((byte)'\n') + 1;
                lines.Add(span[..end].ToArray());
                span = span[end..];
            }
        }

        return [.. lines];
    }

    public static NaiveReference Count(IEnumerable<byte[]> lines)
    {
        var reference = new NaiveReference();
        foreach (byte[] line in lines)
        {
            reference.Count(line);
        }

        reference.CloseBatch();
        return reference;
    }
}
