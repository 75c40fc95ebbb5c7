using System.Text;
using Tagstream.Counting;
using Tagstream.Sources.Lines;
using Tagstream.Tests.Counting;
using Xunit;

namespace Tagstream.Tests.Protocol;

/// <summary>Random protocol streams with over-long lines, and the checks that every line reader must pass on them.</summary>
internal static class LineStreams
{
    /// <summary>A random stream of about 400 lines with lines longer than <paramref name="limit"/> spliced in.</summary>
    public static byte[] Generate(int seed, int limit) =>
        WithLongLines(new RandomStream(seed) { Lines = 400, HugeTagShare = 0 }.Generate(unterminatedLast: seed % 3 == 0), new Random(seed), limit);

    /// <summary>What a reader with this line limit must hand out: the counts of the lines it keeps, and how many it skips.</summary>
    public static (NaiveReference Reference, long Skipped) Expected(ReadOnlySpan<byte> stream, int limit)
    {
        var reference = new NaiveReference();
        long skipped = 0;
        foreach ((byte[] line, bool terminated) in SplitLines(stream.ToArray()))
        {
            if (line.Length > limit)
            {
                skipped++;
            }
            else
            {
                reference.Count(terminated ? [.. line, (byte)'\n'] : line);
            }
        }

        reference.CloseBatch();
        return (reference, skipped);
    }

    /// <summary>Reads every chunk into a counter, checking each holds whole lines within the limit; returns the lines skipped.</summary>
    public static async Task<long> CountAllAsync(ILineChunkReader reader, HashtagCounter counter, int limit)
    {
        long skipped = 0;
        while (true)
        {
            LineChunk chunk = await reader.ReadAsync(TestContext.Current.CancellationToken);
            AssertWholeShortLines(chunk, limit);
            counter.Count(chunk.Lines.Span);
            skipped += chunk.SkippedLines;
            if (chunk.IsFinal)
            {
                counter.CloseBatch();
                return skipped;
            }
        }
    }

    public static void AssertCountsEqual(NaiveReference reference, HashtagCounter counter)
    {
        Assert.Equal(reference.Posts, counter.Posts);
        Assert.Equal(reference.Tags, counter.Tags);
        Assert.Equal(reference.Malformed, counter.MalformedTokens);
        foreach ((string tag, long total) in reference.Totals)
        {
            Assert.Equal(total, counter.GetTotal(Encoding.UTF8.GetBytes(tag)));
        }

        Assert.Equal(reference.Totals.Count, counter.DistinctTags);
    }

    public static void AssertWholeShortLines(LineChunk chunk, int limit)
    {
        ReadOnlySpan<byte> lines = chunk.Lines.Span;
        if (!chunk.IsFinal)
        {
            Assert.True(lines.Length > 0 && lines[^1] == (byte)'\n', "A chunk that is not the last ends with a newline.");
        }

        while (!lines.IsEmpty)
        {
            int newline = lines.IndexOf((byte)'\n');
            int length = newline < 0 ? lines.Length : newline;
            Assert.True(length <= limit, $"A line of {length} bytes passed a limit of {limit}.");
            lines = newline < 0 ? default : lines[(newline + 1)..];
        }
    }

    /// <summary>The offsets at which lines start (0 included, the end excluded).</summary>
    public static List<int> LineStarts(byte[] stream)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < stream.Length - 1; i++)
        {
            if (stream[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    // Splices lines longer than the limit between the generated lines, so over-long lines meet every boundary case.
    private static byte[] WithLongLines(byte[] stream, Random random, int limit)
    {
        var output = new MemoryStream();
        foreach ((byte[] line, bool terminated) in SplitLines(stream))
        {
            if (random.Next(15) == 0)
            {
                int length = limit + 1 + random.Next(random.Next(2) == 0 ? 3 : 5 * limit);
                output.Write(Encoding.UTF8.GetBytes(new string('L', length / 2) + " " + new string('M', length - (length / 2) - 1) + "\n"));
            }

            output.Write(line);
            if (terminated)
            {
                output.WriteByte((byte)'\n');
            }
        }

        return output.ToArray();
    }

    private static IEnumerable<(byte[] Line, bool Terminated)> SplitLines(byte[] stream)
    {
        int start = 0;
        while (start < stream.Length)
        {
            int newline = stream.AsSpan(start).IndexOf((byte)'\n');
            if (newline < 0)
            {
                yield return (stream[start..], false);
                yield break;
            }

            yield return (stream[start..(start + newline)], true);
            start += newline + 1;
        }
    }
}
