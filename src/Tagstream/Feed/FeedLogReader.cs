namespace Tagstream.Feed;

/// <summary>
/// Reads a feed log's lines from a run byte offset on, record by record, each checked against its checksum: how a
/// client that asked for lines older than the feed's ring catches up.
/// </summary>
/// <remarks>
/// Used by one connection's writer at a time. It only reads bytes the log already holds: the feed reads the log only
/// below its ring's oldest byte, which was logged before it entered the ring.
/// </remarks>
internal sealed class FeedLogReader : IDisposable
{
    private readonly FeedLog _log;
    private FeedLogSegment? _segment;
    private FeedLogFileWindow? _window;
    private long _filePosition;
    private int _payloadStart;
    private FeedLogRecordHeader _record;

    public FeedLogReader(FeedLog log, long offset)
    {
        _log = log;
        Offset = offset;
        _record = new FeedLogRecordHeader(0, 0, 0, offset, null, 0);
    }

    /// <summary>The run offset of the next byte <see cref="Read"/> returns.</summary>
    public long Offset { get; private set; }

    /// <summary>Copies the next bytes of the run into <paramref name="destination"/>; returns how many.</summary>
    /// <exception cref="FeedLogException">The log no longer holds the bytes, or a record is damaged.</exception>
    public int Read(Span<byte> destination)
    {
        while (Offset >= _record.EndByte || Offset < _record.FirstByte)
        {
            LoadNextRecord();
        }

        int start = _payloadStart + (int)(Offset - _record.FirstByte);
        int length = (int)Math.Min(destination.Length, _record.EndByte - Offset);
        _window!.Buffer.AsSpan(start, length).CopyTo(destination);
        Offset += length;
        return length;
    }

    public void Dispose() => _window?.Dispose();

    private void LoadNextRecord()
    {
        if (_segment is null || Offset >= _segment.EndByte || Offset < _segment.FirstByte)
        {
            _window?.Dispose();
            _window = null;
            (_segment, _filePosition) = _log.Locate(Offset, byLine: false);
            _window = new FeedLogFileWindow(FeedLog.OpenSegment(_segment), _segment.Length);
        }

        // The segment being written grows; what the reader is asked for is already in it.
        _window!.FileEnd = _segment.Length;
        if (!FeedLogSegment.TryReadRecord(_window, _filePosition, wholeRecord: true, out var record, out int headerLength, out int payload))
        {
            throw FeedLog.Damaged(_segment, _filePosition);
        }

        _filePosition += FeedLogFormat.RecordLength(headerLength, record.PayloadLength);
        _payloadStart = payload;
        _record = record;
    }
}
