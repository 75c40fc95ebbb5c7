using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.ExceptionServices;

namespace Tagstream.Sources.Lines;

/// <summary>
/// Reads a stream into a pipe on its own task, up to <see cref="AheadBytes"/> ahead of the consumer, so that reading
/// the next bytes (a file, standard input, a socket) overlaps with counting the current ones and the consumer finds
/// them already buffered instead of waiting for each read.
/// </summary>
/// <remarks>
/// <para>
/// Segments are <see cref="SegmentBytes"/> large and filled by consecutive reads, so a burst of small socket reads
/// still ends up contiguous: <see cref="LineChunkReader"/> hands out the whole lines of a segment as one chunk, and
/// large chunks are what lets the counter split work between its workers.
/// </para>
/// <para>
/// A read that fails ends the pipe, but the consumer first gets every byte read before the failure; the read after
/// it has examined them all throws the failure (a pipe completed with an exception would throw at once and lose
/// them). A partial last line is therefore never taken for a final line. The end of the stream completes the pipe
/// normally. Invariant: only the filling task writes to the pipe, and it stops before <see cref="DisposeAsync"/>
/// completes the reader.
/// </para>
/// </remarks>
internal sealed class ReadAheadPipe : IAsyncDisposable
{
    /// <summary>The size of each buffer segment, and so of the largest chunk a line reader hands out.</summary>
    public const int SegmentBytes = 4 << 20;

    /// <summary>How far the filling task may run ahead of the consumer before it waits.</summary>
    public const int AheadBytes = 4 * SegmentBytes;

    // A read asks for at least this much room: large enough for few system calls, small enough that a segment takes
    // several socket reads before a new one is started.
    private const int ReadBytes = 256 << 10;

    private readonly Pipe _pipe = new(new PipeOptions(
        pauseWriterThreshold: AheadBytes,
        resumeWriterThreshold: AheadBytes / 2,
        minimumSegmentSize: SegmentBytes,
        useSynchronizationContext: false));

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _filling;
    private int _disposed;

    private Exception? _failure;

    private ReadAheadPipe(Stream stream, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        Reader = new DrainingReader(this);
        _filling = Task.Run(FillAsync);
    }

    /// <summary>The buffered bytes of the stream.</summary>
    public PipeReader Reader { get; }

    /// <summary>Starts reading <paramref name="stream"/> ahead.</summary>
    /// <param name="stream">The bytes to read.</param>
    /// <param name="ownsStream">Whether disposing this disposes the stream.</param>
    public static ReadAheadPipe Start(Stream stream, bool ownsStream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new ReadAheadPipe(stream, ownsStream);
    }

    /// <summary>Stops reading, completes the reader and, if owned, disposes the stream. Later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _filling.ConfigureAwait(false);
        await _pipe.Reader.CompleteAsync().ConfigureAwait(false);
        if (_ownsStream)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task FillAsync()
    {
        PipeWriter writer = _pipe.Writer;
        Exception? failure = null;
        try
        {
            while (true)
            {
                Memory<byte> room = writer.GetMemory(ReadBytes);
                int read = await _stream.ReadAsync(room, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                FlushResult flushed = await writer.FlushAsync(_stop.Token).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: nobody reads any more.
        }
        catch (Exception e)
        {
            // Handed to the consumer once it has read everything before it: the source decides what a failed read means.
            failure = e;
        }

        // Published before the completion, which the reader observes after it (the pipe's lock orders the two).
        Volatile.Write(ref _failure, failure);
        await writer.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>The pipe's reader, except that a failed stream reads as "not completed" until every byte was examined.</summary>
    private sealed class DrainingReader(ReadAheadPipe owner) : PipeReader
    {
        private readonly PipeReader _inner = owner._pipe.Reader;
        private ReadOnlySequence<byte> _last;

        // Bytes at the start of the next buffer that the consumer has already examined (-1 before any AdvanceTo). Kept
        // as a length, not a position: a position may point into a segment the pipe has since recycled.
        private long _examinedAhead = -1;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            Check(await _inner.ReadAsync(cancellationToken).ConfigureAwait(false));

        public override bool TryRead(out ReadResult result)
        {
            if (!_inner.TryRead(out result))
            {
                return false;
            }

            result = Check(result);
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            _examinedAhead = _last.Slice(0, examined).Length - _last.Slice(0, consumed).Length;
            _inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => _inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => _inner.Complete(exception);

        private ReadResult Check(ReadResult result)
        {
            _last = result.Buffer;
            if (!result.IsCompleted || Volatile.Read(ref owner._failure) is not { } failure)
            {
                return result;
            }

            if (result.Buffer.Length == Math.Max(_examinedAhead, 0))
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            return new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
        }
    }
}
