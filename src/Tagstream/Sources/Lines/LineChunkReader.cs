using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Tagstream.Sources.Lines;

/// <summary>
/// Turns a byte stream of protocol lines into contiguous chunks of whole lines, dropping lines longer than the limit.
/// </summary>
/// <remarks>
/// <para>
/// Every chunk holds whole lines ending with <c>\n</c>, except the last chunk of a stream whose final line has no
/// <c>\n</c> (the line protocol counts it as a post). No line in a chunk is longer than <see cref="MaxLineBytes"/>
/// (the <c>\n</c> not counted), so the counter never has to check line lengths. A chunk is as large as the whole
/// lines of the pipe's first buffered segment: large segments make large chunks, which the counter splits between its
/// workers.
/// </para>
/// <para>
/// Chunks point into the pipe's buffers, so the common case copies nothing. Only a line that straddles two pipe
/// segments is copied, into a scratch buffer of at most one line. A chunk is valid until the next call of
/// <see cref="ReadAsync"/>, which is when its bytes are released to the pipe.
/// </para>
/// </remarks>
internal sealed class LineChunkReader : ILineChunkReader
{
    /// <summary>The default line limit of the protocol: 1 MiB.</summary>
    public const int DefaultMaxLineBytes = 1 << 20;

    private readonly PipeReader _reader;
    private ReadOnlySequence<byte> _buffer;
    private bool _holdingBuffer;
    private bool _completed;
    private bool _skippingLongLine;
    private byte[] _scratch = [];

    /// <summary>Creates a reader of protocol lines over <paramref name="reader"/>.</summary>
    /// <param name="reader">The bytes to read; the caller owns and completes it.</param>
    /// <param name="maxLineBytes">The longest line kept, in bytes without its <c>\n</c>.</param>
    public LineChunkReader(PipeReader reader, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _reader = reader;
        MaxLineBytes = maxLineBytes;
    }

    /// <summary>The longest line kept, in bytes without its <c>\n</c>.</summary>
    public int MaxLineBytes { get; }

    /// <inheritdoc />
    public long Consumed { get; private set; }

    /// <inheritdoc />
    public async ValueTask<LineChunk> ReadAsync(CancellationToken cancellationToken)
    {
        ReleaseHeldBuffer();
        long skipped = 0;
        while (true)
        {
            if (_completed && _buffer.IsEmpty)
            {
                return new LineChunk(ReadOnlyMemory<byte>.Empty, skipped, IsFinal: true);
            }

            if (!_buffer.IsEmpty && TryTakeChunk(ref skipped, out ReadOnlyMemory<byte> chunk))
            {
                return new LineChunk(chunk, skipped, IsFinal: false);
            }

            if (_completed)
            {
                // The stream ended inside a line: that last line is still a post unless it is too long.
                ReadOnlyMemory<byte> last = _skippingLongLine ? ReadOnlyMemory<byte>.Empty : Contiguous(_buffer);
                Consumed += _buffer.Length;
                _buffer = _buffer.Slice(_buffer.End);
                _skippingLongLine = false;
                return new LineChunk(last, skipped, IsFinal: true);
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        // Nothing in the buffer makes a chunk yet: give the unread tail back and wait for more bytes after it.
        if (_holdingBuffer)
        {
            _reader.AdvanceTo(_buffer.Start, _buffer.End);
            _holdingBuffer = false;
        }

        ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        _buffer = result.Buffer;
        _holdingBuffer = true;
        _completed = result.IsCompleted;
    }

    private void ReleaseHeldBuffer()
    {
        // The previous chunk is no longer used: everything before _buffer.Start can go back to the pipe.
        if (_holdingBuffer && !_completed)
        {
            _reader.AdvanceTo(_buffer.Start, _buffer.Start);
            _holdingBuffer = false;
            _buffer = default;
        }
    }

    private bool TryTakeChunk(ref long skipped, out ReadOnlyMemory<byte> chunk)
    {
        chunk = default;
        if (_skippingLongLine)
        {
            SequencePosition? end = _buffer.PositionOf((byte)'\n');
            if (end is null)
            {
                Consumed += _buffer.Length;
                _buffer = _buffer.Slice(_buffer.End);
                return false;
            }

            SequencePosition afterNewline = _buffer.GetPosition(1, end.Value);
            Consumed += _buffer.Slice(0, afterNewline).Length;
            _buffer = _buffer.Slice(afterNewline);
            _skippingLongLine = false;
            if (_buffer.IsEmpty)
            {
                return false;
            }
        }

        // A chunk is the whole lines of the first buffered segment, as long as none is too long (see ProtocolLines.WholeLines).
        ReadOnlyMemory<byte> first = _buffer.First;
        int whole = ProtocolLines.WholeLines(first.Span, MaxLineBytes);
        if (whole > 0)
        {
            chunk = first[..whole];
            Advance(whole);
            return true;
        }

        int window = (int)Math.Min(_buffer.Length, (long)MaxLineBytes + 1);
        if (first.Length < window)
        {
            // The first line straddles two segments: it is copied into the scratch buffer.
            ReadOnlySequence<byte> head = _buffer.Slice(0, window);
            SequencePosition? newline = head.PositionOf((byte)'\n');
            if (newline is not null)
            {
                ReadOnlySequence<byte> line = _buffer.Slice(0, _buffer.GetPosition(1, newline.Value));
                chunk = Contiguous(line);
                Advance(line.Length);
                return true;
            }
        }

        if (_buffer.Length > MaxLineBytes)
        {
            // No '\n' within the limit: the line is too long. Drop it through its '\n', however far that is.
            skipped++;
            _skippingLongLine = true;
            return TryTakeChunk(ref skipped, out chunk);
        }

        return false;
    }

    private void Advance(long count)
    {
        Debug.Assert(count > 0 && count <= _buffer.Length, "A chunk is taken from the buffered bytes.");
        Consumed += count;
        _buffer = _buffer.Slice(count);
    }

    private ReadOnlyMemory<byte> Contiguous(ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return bytes.First;
        }

        int length = checked((int)bytes.Length);
        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, Math.Min(_scratch.Length * 2, MaxLineBytes + 1))];
        }

        bytes.CopyTo(_scratch);
        return _scratch.AsMemory(0, length);
    }
}
