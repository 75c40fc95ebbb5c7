using System.IO.Pipelines;
using System.Text;
using Tagstream.Counting;
using Tagstream.Protocol;
using Tagstream.Tests.Counting;
using Xunit;

namespace Tagstream.Tests.Protocol;

public sealed class LineChunkReaderTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 60)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ReadAsync_RandomStreamsInRandomPieces_CountsEqualTheReference(int seed)
    {
        var random = new Random(seed);
        int limit = random.Next(2) == 0 ? 48 : 300;
        byte[] stream = WithLongLines(new RandomStream(seed) { Lines = 400, HugeTagShare = 0 }.Generate(unterminatedLast: seed % 3 == 0), random, limit);

        var reference = new NaiveReference();
        long referenceSkipped = 0;
        foreach ((byte[] line, bool terminated) in SplitLines(stream))
        {
            if (line.Length > limit)
            {
                referenceSkipped++;
            }
            else
            {
                reference.Count(terminated ? [.. line, (byte)'\n'] : line);
            }
        }

        reference.CloseBatch();

        // Small segments cut lines everywhere; large ones hold many line-limit windows, which one chunk spans.
        int segment = random.Next(2) == 0 ? 16 + random.Next(64) : 1024 + random.Next(8192);
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: segment, pauseWriterThreshold: 0));
        Task writing = WriteInPiecesAsync(pipe.Writer, stream, new Random(seed + 1000));
        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 + (seed % 2) });
        var reader = new LineChunkReader(pipe.Reader, limit);
        long skipped = 0;
        while (true)
        {
            LineChunk chunk = await reader.ReadAsync(TestContext.Current.CancellationToken);
            AssertWholeShortLines(chunk, limit);
            counter.Count(chunk.Lines.Span);
            skipped += chunk.SkippedLines;
            if (chunk.IsFinal)
            {
                break;
            }
        }

        await writing;
        counter.CloseBatch();
        Assert.Equal(referenceSkipped, skipped);
        Assert.Equal(reference.Posts, counter.Posts);
        Assert.Equal(reference.Tags, counter.Tags);
        Assert.Equal(reference.Malformed, counter.MalformedTokens);
        foreach ((string tag, long total) in reference.Totals)
        {
            Assert.Equal(total, counter.GetTotal(Encoding.UTF8.GetBytes(tag)));
        }

        Assert.Equal(reference.Totals.Count, counter.DistinctTags);
        Assert.Equal(stream.Length, reader.Consumed);
    }

    [Fact]
    public async Task ReadAsync_LineOfExactlyTheLimit_IsKeptAndOneByteLongerIsSkipped()
    {
        byte[] stream = Encoding.UTF8.GetBytes($"{new string('a', 10)}\n{new string('b', 11)}\nc d\n{new string('e', 11)}");
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(stream, TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();
        var reader = new LineChunkReader(pipe.Reader, maxLineBytes: 10);

        var lines = new StringBuilder();
        long skipped = 0;
        LineChunk chunk;
        do
        {
            chunk = await reader.ReadAsync(TestContext.Current.CancellationToken);
            lines.Append(Encoding.UTF8.GetString(chunk.Lines.Span));
            skipped += chunk.SkippedLines;
        }
        while (!chunk.IsFinal);

        Assert.Equal($"{new string('a', 10)}\nc d\n", lines.ToString());
        Assert.Equal(2, skipped);
    }

    [Fact]
    public async Task ReadAsync_SegmentOfManyShortLines_IsOneChunkFarLongerThanTheLineLimit()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            text.Append("tag").Append(i % 300).Append(" b\n");
        }

        byte[] stream = Encoding.UTF8.GetBytes(text.ToString());
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 1 << 20));
        await pipe.Writer.WriteAsync(stream, TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();
        var reader = new LineChunkReader(pipe.Reader, maxLineBytes: 16);

        LineChunk chunk = await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(stream, chunk.Lines.ToArray());
        AssertWholeShortLines(chunk, 16);
    }

    [Fact]
    public async Task ReadAsync_FinalLineWithoutNewline_IsTheLastChunk()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("x y\nlast one"u8.ToArray(), TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();
        var reader = new LineChunkReader(pipe.Reader);

        LineChunk first = await reader.ReadAsync(TestContext.Current.CancellationToken);
        LineChunk last = await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal("x y\n", Encoding.UTF8.GetString(first.Lines.Span));
        Assert.False(first.IsFinal);
        Assert.Equal("last one", Encoding.UTF8.GetString(last.Lines.Span));
        Assert.True(last.IsFinal);
    }

    private static void AssertWholeShortLines(LineChunk chunk, int limit)
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

    private static async Task WriteInPiecesAsync(PipeWriter writer, byte[] stream, Random random)
    {
        int offset = 0;
        while (offset < stream.Length)
        {
            int length = Math.Min(stream.Length - offset, random.Next(1, random.Next(2) == 0 ? 8 : 700));
            await writer.WriteAsync(stream.AsMemory(offset, length));
            offset += length;
        }

        await writer.CompleteAsync();
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
