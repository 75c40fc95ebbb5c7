using System.IO.Pipelines;
using System.Text;
using Tagstream.Counting;
using Tagstream.Sources.Lines;
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
        byte[] stream = LineStreams.Generate(seed, limit);
        (NaiveReference reference, long referenceSkipped) = LineStreams.Expected(stream, limit);

        // Small segments cut lines everywhere; large ones hold many line-limit windows, which one chunk spans.
        int segment = random.Next(2) == 0 ? 16 + random.Next(64) : 1024 + random.Next(8192);
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: segment, pauseWriterThreshold: 0));
        Task writing = WriteInPiecesAsync(pipe.Writer, stream, new Random(seed + 1000));
        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 + (seed % 2) });
        var reader = new LineChunkReader(pipe.Reader, limit);
        long skipped = await LineStreams.CountAllAsync(reader, counter, limit);

        await writing;
        Assert.Equal(referenceSkipped, skipped);
        LineStreams.AssertCountsEqual(reference, counter);
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
        LineStreams.AssertWholeShortLines(chunk, 16);
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
}
