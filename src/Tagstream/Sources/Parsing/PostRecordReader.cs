using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;

namespace Tagstream.Sources.Parsing;

/// <summary>
/// Reads a recorded or piped stream of posts in any <see cref="PostFormat"/> one record at a time: a line for the
/// line-based formats, an event (or heartbeat comment) for Mastodon SSE. Detects the format when asked to.
/// </summary>
/// <remarks>
/// Lines end with <c>\n</c> (a <c>\r</c> before it is dropped); a last line without <c>\n</c> is still read. A record
/// longer than the limit is skipped without being buffered and reported as malformed. Not thread-safe: one reader, one
/// consumer. A cancelled <see cref="ReadAsync"/> loses nothing: the next call goes on where it stopped.
/// </remarks>
public sealed class PostRecordReader : IAsyncDisposable
{
    /// <summary>The default longest record: 4 MiB (a Mastodon status with long content stays well below).</summary>
    public const int DefaultMaxRecordBytes = 4 << 20;

    private readonly PipeReader _pipe;
    private readonly int _maxRecordBytes;
    private readonly SseEventAssembler _sse;
    private readonly bool _atStreamStart;
    private ReadOnlySequence<byte> _buffer;
    private bool _holdsBuffer;
    private bool _completed;
    private bool _discarding;
    private bool _ended;
    private byte[] _scratch = [];
    private long _line;

    /// <summary>Creates a reader.</summary>
    /// <param name="stream">The stream, positioned at <paramref name="startOffset"/>.</param>
    /// <param name="format">The format, or <see cref="PostFormat.Auto"/> to detect it from the first records.</param>
    /// <param name="startOffset">The stream's offset in its file, so that <see cref="PostRecord.EndOffset"/> is absolute.</param>
    /// <param name="maxRecordBytes">The longest record read; longer ones are malformed.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the reader is disposed.</param>
    public PostRecordReader(Stream stream, PostFormat format = PostFormat.Auto, long startOffset = 0,
        int maxRecordBytes = DefaultMaxRecordBytes, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecordBytes);
        _pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: leaveOpen));
        Format = format;
        Offset = startOffset;
        _atStreamStart = startOffset == 0;
        _maxRecordBytes = maxRecordBytes;
        _sse = new SseEventAssembler(maxRecordBytes);
    }

    /// <summary>The format being read; <see cref="PostFormat.Auto"/> until the first read has detected it.</summary>
    public PostFormat Format { get; private set; }

    /// <summary>The byte offset just after the last line read.</summary>
    public long Offset { get; private set; }

    /// <summary>Reads the next record.</summary>
    /// <param name="cancellationToken">Stops the wait for more input.</param>
    /// <returns>The record, or null at the end of the stream.</returns>
    public async ValueTask<PostRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        if (Format == PostFormat.Auto)
        {
            await DetectAsync(cancellationToken).ConfigureAwait(false);
        }

        while (!_ended)
        {
            if (TryTakeLine(out var line, out var tooLong, out var isEnd))
            {
                if (isEnd)
                {
                    _ended = true;
                    if (Format == PostFormat.MastodonSse && _sse.HasPartialEvent && OnSseLine([], false) is { } last)
                    {
                        // A recording cut after an event's last field still holds that event.
                        return last;
                    }

                    return null;
                }

                _line++;
                if (_line == 1 && _atStreamStart && Format != PostFormat.Protocol && line.Span.StartsWith("\uFEFF"u8))
                {
                    // A byte order mark some editors write: not part of the first record. Protocol lines keep it, as the
                    // counter does: by the token rule U+FEFF is part of a token.
                    line = line[3..];
                }

                var record = Format == PostFormat.MastodonSse
                    ? OnSseLine(line.Span, tooLong)
                    : new PostRecord(tooLong ? TooLong() : ParseLine(line), _line, Offset);
                if (record is not null)
                {
                    return record;
                }

                continue;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _pipe.CompleteAsync().ConfigureAwait(false);
        if (_scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = [];
        }
    }

    private ParseOutcome ParseLine(ReadOnlyMemory<byte> line) => Format switch
    {
        PostFormat.Protocol => ProtocolLineParser.Parse(line.Span, LineId()),
        PostFormat.XApiV2 => XApiV2Parser.Parse(line),
        PostFormat.TwitterV11 => TwitterV11Parser.Parse(line),
        PostFormat.Jetstream => JetstreamParser.Parse(line),
        PostFormat.MastodonWebSocket => MastodonParser.ParseWebSocketMessage(line),
        PostFormat.JsonlText => TextPostParser.ParseJsonText(line.Span, LineId()),
        _ => TextPostParser.ParseText(line.Span, LineId()),
    };

    private string LineId() => _line.ToString(CultureInfo.InvariantCulture);

    private ParseOutcome TooLong() => ParseOutcome.Malformed($"record longer than {_maxRecordBytes} bytes");

    private PostRecord? OnSseLine(ReadOnlySpan<byte> line, bool lineTooLong)
    {
        if (lineTooLong)
        {
            return new PostRecord(TooLong(), _line, Offset);
        }

        if (!_sse.TryAddLine(line, out var sseEvent, out var eventTooLong))
        {
            return null;
        }

        return new PostRecord(eventTooLong ? TooLong() : MastodonParser.ParseSseEvent(sseEvent), _line, Offset);
    }

    /// <summary>Takes the next whole line from the buffer, or tells that the stream has ended.</summary>
    /// <returns>False when more input is needed.</returns>
    private bool TryTakeLine(out ReadOnlyMemory<byte> line, out bool tooLong, out bool isEnd)
    {
        line = default;
        tooLong = false;
        isEnd = false;
        if (!_holdsBuffer)
        {
            return false;
        }

        var newline = _buffer.PositionOf((byte)'\n');
        ReadOnlySequence<byte> found;
        if (newline is { } position)
        {
            found = _buffer.Slice(0, position);
            _buffer = _buffer.Slice(_buffer.GetPosition(1, position));
            Offset += found.Length + 1;
        }
        else if (_buffer.Length > _maxRecordBytes)
        {
            // Drop what is buffered of an over-long line instead of buffering it whole.
            _discarding = true;
            Offset += _buffer.Length;
            _buffer = _buffer.Slice(_buffer.End);
            return false;
        }
        else if (_completed && (_buffer.Length > 0 || _discarding))
        {
            found = _buffer;
            _buffer = _buffer.Slice(_buffer.End);
            Offset += found.Length;
        }
        else
        {
            isEnd = _completed;
            return _completed;
        }

        if (_discarding || found.Length > _maxRecordBytes)
        {
            _discarding = false;
            tooLong = true;
            return true;
        }

        if (found.Length > 0 && found.Slice(found.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            found = found.Slice(0, found.Length - 1);
        }

        line = found.IsSingleSegment ? found.First : Copy(found);
        return true;
    }

    private ReadOnlyMemory<byte> Copy(ReadOnlySequence<byte> sequence)
    {
        if (_scratch.Length < sequence.Length)
        {
            if (_scratch.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
            }

            _scratch = ArrayPool<byte>.Shared.Rent((int)sequence.Length);
        }

        sequence.CopyTo(_scratch);
        return _scratch.AsMemory(0, (int)sequence.Length);
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_holdsBuffer)
        {
            _holdsBuffer = false;
            _pipe.AdvanceTo(_buffer.Start, _buffer.End);
        }

        var result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
        _buffer = result.Buffer;
        _completed = result.IsCompleted;
        _holdsBuffer = true;
    }

    private async ValueTask DetectAsync(CancellationToken cancellationToken)
    {
        do
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
        while (!_completed && _buffer.Length < PostFormatDetector.SampleBytes);

        var sample = _buffer.Slice(0, Math.Min(_buffer.Length, PostFormatDetector.SampleBytes));
        var head = sample.IsSingleSegment ? sample.FirstSpan : sample.ToArray();
        Format = PostFormatDetector.Detect(head, isWholeStream: _completed && sample.Length == _buffer.Length);
    }
}
