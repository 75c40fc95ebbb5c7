using System.Buffers;
using System.IO.Pipelines;
using Tagstream.Sources.Lines;
using Xunit;

namespace Tagstream.Tests.Protocol;

public sealed class ReadAheadPipeTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Reader_StreamReadInRandomPieces_DeliversEveryByteInOrder(int seed)
    {
        var random = new Random(seed);
        var data = new byte[random.Next(1, 12 << 20)];
        random.NextBytes(data);
        await using var pipe = ReadAheadPipe.Start(new PieceStream(data, seed), ownsStream: true);

        byte[] received = await ReadToEndAsync(pipe.Reader, random);

        Assert.Equal(data, received);
    }

    [Fact]
    public async Task Reader_StreamFailsMidway_DeliversTheBytesBeforeAndThenThrowsTheFailure()
    {
        var data = new byte[300_000];
        new Random(5).NextBytes(data);
        await using var pipe = ReadAheadPipe.Start(new PieceStream(data, seed: 5) { FailAtEnd = true }, ownsStream: true);

        var received = new MemoryStream();
        var failure = await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (true)
            {
                ReadResult result = await pipe.Reader.ReadAsync(TestContext.Current.CancellationToken);
                foreach (ReadOnlyMemory<byte> segment in result.Buffer)
                {
                    received.Write(segment.Span);
                }

                pipe.Reader.AdvanceTo(result.Buffer.End);
            }
        });

        Assert.Equal("connection reset", failure.Message);
        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public async Task DisposeAsync_WhileTheStreamWaitsForData_StopsAndDisposesTheStream()
    {
        var silent = new Pipe();
        Stream stream = silent.Reader.AsStream();
        var pipe = ReadAheadPipe.Start(stream, ownsStream: true);

        await pipe.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        FlushResult written = await silent.Writer.WriteAsync(new byte[1], TestContext.Current.CancellationToken);
        Assert.True(written.IsCompleted, "Disposing the read-ahead disposed the stream, which completed its reader.");
    }

    private static async Task<byte[]> ReadToEndAsync(PipeReader reader, Random random)
    {
        var received = new MemoryStream();
        while (true)
        {
            ReadResult result = await reader.ReadAsync(TestContext.Current.CancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;

            // Consume a random part, as a line reader leaves a partial line behind.
            long take = result.IsCompleted ? buffer.Length : random.NextInt64(buffer.Length + 1);
            foreach (ReadOnlyMemory<byte> segment in buffer.Slice(0, take))
            {
                received.Write(segment.Span);
            }

            reader.AdvanceTo(buffer.GetPosition(take), buffer.End);
            if (result.IsCompleted && take == buffer.Length)
            {
                return received.ToArray();
            }
        }
    }

    /// <summary>Returns its bytes in reads of random sizes, like a socket; optionally fails after the last byte.</summary>
    private sealed class PieceStream(byte[] data, int seed) : Stream
    {
        private readonly Random _random = new(seed);
        private int _position;

        public bool FailAtEnd { get; init; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position == data.Length && FailAtEnd)
            {
                throw new IOException("connection reset");
            }

            int length = Math.Min(Math.Min(buffer.Length, data.Length - _position), 1 + _random.Next(200_000));
            data.AsSpan(_position, length).CopyTo(buffer);
            _position += length;
            return length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
