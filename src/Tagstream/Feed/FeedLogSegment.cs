using System.IO.Hashing;

namespace Tagstream.Feed;

/// <summary>
/// One segment file of a feed log: its header, how far its whole records reach, and a sparse index (one entry per
/// MiB or so) from lines and byte offsets of the run to positions in the file, so that a resume finds its line by
/// reading at most about a MiB of the segment.
/// </summary>
/// <remarks>Mutated by the log's writer and read by its readers under the log's lock.</remarks>
internal sealed class FeedLogSegment
{
    private const long IndexSpacing = 1 << 20;

    private readonly List<(long Line, long Byte, long FilePosition)> _index = [];
    private long _lastIndexed = long.MinValue / 2;

    public FeedLogSegment(string path, FeedLogSegmentHeader header, int headerLength)
    {
        Path = path;
        Header = header;
        Length = headerLength;
        EndLine = header.FirstLine;
        EndByte = header.FirstByte;
    }

    public string Path { get; }

    public FeedLogSegmentHeader Header { get; }

    public long FirstLine => Header.FirstLine;

    public long FirstByte => Header.FirstByte;

    /// <summary>The file's length up to the end of its last whole record.</summary>
    public long Length { get; private set; }

    public long EndLine { get; private set; }

    public long EndByte { get; private set; }

    public bool HasRecords => EndLine > FirstLine;

    /// <summary>The last whole record, or null when the segment has none.</summary>
    public FeedLogRecordHeader? LastRecord { get; private set; }

    public void Add(in FeedLogRecordHeader record, long recordLength)
    {
        if (Length - _lastIndexed >= IndexSpacing)
        {
            _index.Add((record.FirstLine, record.FirstByte, Length));
            _lastIndexed = Length;
        }

        Length += recordLength;
        EndLine = record.EndLine;
        EndByte = record.EndByte;
        LastRecord = record;
    }

    /// <summary>The file position of the last indexed record that starts at or before byte <paramref name="offset"/> (or line).</summary>
    public long Seek(long offset, bool byLine)
    {
        long position = _index.Count == 0 ? Length : _index[0].FilePosition;
        foreach (var entry in _index)
        {
            if ((byLine ? entry.Line : entry.Byte) > offset)
            {
                break;
            }

            position = entry.FilePosition;
        }

        return position;
    }

    /// <summary>
    /// Reads the record at <paramref name="filePosition"/>: its header always, and with <paramref name="wholeRecord"/> its
    /// payload too, checked against its checksum. False when the file ends inside the record or the record is damaged.
    /// </summary>
    /// <param name="window">The segment's file.</param>
    /// <param name="filePosition">Where the record starts.</param>
    /// <param name="wholeRecord">Read and check the payload as well.</param>
    /// <param name="header">The record's header.</param>
    /// <param name="headerLength">The header's length.</param>
    /// <param name="payload">Where the payload starts in the window's buffer, when it was read.</param>
    public static bool TryReadRecord(FeedLogFileWindow window, long filePosition, bool wholeRecord, out FeedLogRecordHeader header, out int headerLength, out int payload)
    {
        header = default;
        headerLength = 0;
        payload = 0;
        if (!window.TryGet(filePosition, FeedLogFormat.RecordFixedBytes, out int index))
        {
            return false;
        }

        int positionLength = FeedLogFormat.PositionLength(window.Buffer.AsSpan(index));
        if (positionLength < 0)
        {
            return false;
        }

        headerLength = FeedLogFormat.RecordFixedBytes + positionLength;
        if (!window.TryGet(filePosition, headerLength, out index)
            || !FeedLogFormat.TryDecodeRecordHeader(window.Buffer.AsSpan(index, headerLength), out header))
        {
            return false;
        }

        long length = FeedLogFormat.RecordLength(headerLength, header.PayloadLength);
        if (length > window.FileEnd - filePosition)
        {
            return false;
        }

        if (!wholeRecord)
        {
            return true;
        }

        if (!window.TryGet(filePosition, (int)length, out index))
        {
            return false;
        }

        ReadOnlySpan<byte> record = window.Buffer.AsSpan(index, (int)length);
        ReadOnlySpan<byte> lines = record.Slice(headerLength, header.PayloadLength);
        payload = index + headerLength;
        return XxHash3.HashToUInt64(record[..^FeedLogFormat.HashBytes]) == System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(record[^FeedLogFormat.HashBytes..])
            && lines[^1] == (byte)'\n'
            && lines.Count((byte)'\n') == header.LineCount;
    }
}
