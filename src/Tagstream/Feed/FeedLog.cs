using System.Globalization;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;
using Tagstream.Files;
using Tagstream.Sources.Lines;

namespace Tagstream.Feed;

/// <summary>
/// A feed's durable log (<c>tagstream feed --log DIR</c>): every line the feed serves, written before any client gets
/// it, in checksummed records numbered with the run's lines and carrying the source position. A feed that restarts on
/// the same log continues the same run and numbering, resumes its source where the log ends, and serves resumes older
/// than its ring of recent lines from the log (docs/protocol.md, "The feed log").
/// </summary>
/// <remarks>
/// <para>
/// Layout: a folder with a <c>LOCK</c> file and segment files named by their first line. Appends come from one thread
/// (the feed's reader of its source); readers (clients catching up) read records that are already whole.
/// </para>
/// <para>
/// Durability: a record is written to the file (the page cache) before its lines are handed to any client, so a
/// process crash loses nothing that was sent. Against a machine crash, the log is fsync'ed when a segment is closed
/// and every <see cref="FeedLogOptions.FlushInterval"/> in the background while lines are being added.
/// </para>
/// </remarks>
public sealed class FeedLog : IDisposable
{
    private const string LockFileName = "LOCK";

    private readonly FeedLogOptions _options;
    private readonly FileStream _folderLock;
    private readonly Lock _gate = new();
    private readonly Lock _flushGate = new();
    private readonly List<FeedLogSegment> _segments;
    private readonly byte[] _header = new byte[FeedLogFormat.MaxRecordHeaderBytes];
    private readonly byte[] _hash = new byte[FeedLogFormat.HashBytes];
    private readonly ReadOnlyMemory<byte>[] _parts = new ReadOnlyMemory<byte>[3];
    private readonly XxHash3 _hasher = new();
    private readonly ITimer _flushTimer;
    private FileStream _active;
    private long _totalBytes;
    private SourcePosition? _position;
    private long _linesSincePosition;
    private bool _dirty;
    private bool _disposed;
    private Exception? _flushFailure;

    private FeedLog(string directory, FeedLogOptions options, FileStream folderLock, List<FeedLogSegment> segments, FileStream active, IReadOnlyList<string> messages)
    {
        Directory = directory;
        _options = options;
        _folderLock = folderLock;
        _segments = segments;
        _active = active;
        Messages = messages;
        _totalBytes = segments.Sum(s => s.Length);
        FeedLogSegment last = segments[^1];
        RunId = last.Header.RunId;
        FeedLogRecordHeader? lastRecord = segments.LastOrDefault(s => s.LastRecord is not null)?.LastRecord;
        _position = lastRecord?.Position;
        _linesSincePosition = lastRecord?.LinesSincePosition ?? 0;
        ResumePosition = _position;
        ResumeLine = _position is null ? last.EndLine : last.EndLine - _linesSincePosition;
        _flushTimer = options.TimeProvider.CreateTimer(_ => FlushInBackground(), null, options.FlushInterval, options.FlushInterval);
    }

    /// <summary>The log's folder.</summary>
    public string Directory { get; }

    /// <summary>The feed run the log holds: a new one for a new log, the logged one when the log is continued.</summary>
    public string RunId { get; }

    /// <summary>Lines in the log: the number of the next line.</summary>
    public long Lines
    {
        get
        {
            lock (_gate)
            {
                return _segments[^1].EndLine;
            }
        }
    }

    /// <summary>The number of the oldest line the log still holds (older segments were deleted to bound its size).</summary>
    public long OldestLine
    {
        get
        {
            lock (_gate)
            {
                return _segments[0].FirstLine;
            }
        }
    }

    /// <summary>
    /// Where the source continues when the log was opened: the last source position logged, or null when none was
    /// (a new log, or a source without positions).
    /// </summary>
    public SourcePosition? ResumePosition { get; }

    /// <summary>
    /// The line at <see cref="ResumePosition"/> when the log was opened: the log's end, unless its last lines came after
    /// the last position the source gave (a source read from that position yields those lines again, and the feed
    /// skips them).
    /// </summary>
    public long ResumeLine { get; }

    /// <summary>What opening the log repaired, one sentence each (for example a record torn by a crash, cut off).</summary>
    public IReadOnlyList<string> Messages { get; }

    /// <summary>Bytes of the run in the log: the run offset of the next line.</summary>
    internal long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _segments[^1].EndByte;
            }
        }
    }

    /// <summary>The run offset of the oldest byte the log holds.</summary>
    internal long OldestOffset
    {
        get
        {
            lock (_gate)
            {
                return _segments[0].FirstByte;
            }
        }
    }

    /// <summary>
    /// Opens the log in <paramref name="directory"/> (creating it when needed) and locks it against other feeds. A record
    /// torn by a crash at the end of the log is cut off and reported in <see cref="Messages"/>.
    /// </summary>
    /// <exception cref="FeedLogException">
    /// The folder cannot be written, is in use by another feed, holds a log of another format version or of another
    /// source, or is damaged before its last record; the message is one sentence for the user.
    /// </exception>
    public static FeedLog Open(string directory, FeedLogOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        directory = Path.GetFullPath(directory);
        FileStream folderLock = LockFolder(directory);
        try
        {
            var messages = new List<string>();
            List<FeedLogSegment> segments = OpenSegments(directory, options, messages);
            FileStream active;
            if (segments.Count == 0)
            {
                var header = new FeedLogSegmentHeader(0, 0, FeedRun.NewId(options.TimeProvider), options.Source);
                (FeedLogSegment segment, active) = CreateSegment(directory, header);
                segments.Add(segment);
            }
            else
            {
                active = OpenForAppend(segments[^1]);
            }

            return new FeedLog(directory, options, folderLock, segments, active, messages);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            folderLock.Dispose();
            throw new FeedLogException($"Cannot use the feed log folder {directory}: {e.Message}", e);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>Releases the log after forcing what was written to disk.</summary>
    public void Dispose()
    {
        _flushTimer.Dispose();
        lock (_flushGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _active.Flush(flushToDisk: true);
            }
            finally
            {
                _active.Dispose();
                _folderLock.Dispose();
            }
        }
    }

    /// <summary>
    /// Appends whole lines, numbered from <see cref="Lines"/>, with the source's position after them (null when the
    /// source gave none). Only one thread appends. Returns once the bytes are in the file (the page cache).
    /// </summary>
    /// <exception cref="IOException">The log cannot be written (for example the disk is full).</exception>
    internal void Append(ReadOnlyMemory<byte> lines, long lineCount, SourcePosition? position)
    {
        if (lines.IsEmpty)
        {
            return;
        }

        if (Volatile.Read(ref _flushFailure) is { } failure)
        {
            throw new IOException($"Cannot flush the feed log in {Directory}: {failure.Message}", failure);
        }

        if (position is { } at)
        {
            _position = at;
            _linesSincePosition = 0;
        }
        else
        {
            _linesSincePosition += lineCount;
        }

        FeedLogSegment active = _segments[^1];
        var record = new FeedLogRecordHeader(lines.Length, checked((int)lineCount), active.EndLine, active.EndByte, _position, _linesSincePosition);
        int headerLength = FeedLogFormat.EncodeRecordHeader(record, _header);
        long recordLength = FeedLogFormat.RecordLength(headerLength, lines.Length);
        if (active.HasRecords && active.Length + recordLength > _options.EffectiveSegmentBytes)
        {
            active = Roll(active);
        }

        _hasher.Reset();
        _hasher.Append(_header.AsSpan(0, headerLength));
        _hasher.Append(lines.Span);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_hash, _hasher.GetCurrentHashAsUInt64());
        _parts[0] = _header.AsMemory(0, headerLength);
        _parts[1] = lines;
        _parts[2] = _hash;
        try
        {
            RandomAccess.Write(_active.SafeFileHandle, _parts, active.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write the feed log {active.Path}: {e.Message}", e);
        }

        _parts[1] = default;
        Volatile.Write(ref _dirty, true);
        lock (_gate)
        {
            active.Add(record, recordLength);
            _totalBytes += recordLength;
        }
    }

    /// <summary>Finds the run offset where line <paramref name="line"/> starts, reading the log.</summary>
    /// <exception cref="FeedLogException">The line is no longer held, or the record holding it is damaged.</exception>
    internal long FindLine(long line)
    {
        (FeedLogSegment segment, long filePosition) = Locate(line, byLine: true);
        using var window = new FeedLogFileWindow(OpenSegment(segment), segment.Length);
        while (true)
        {
            if (!FeedLogSegment.TryReadRecord(window, filePosition, wholeRecord: false, out var record, out int headerLength, out _))
            {
                throw Damaged(segment, filePosition);
            }

            if (line < record.EndLine)
            {
                if (!FeedLogSegment.TryReadRecord(window, filePosition, wholeRecord: true, out record, out _, out int payload))
                {
                    throw Damaged(segment, filePosition);
                }

                return record.FirstByte + ProtocolLines.TakeLines(window.Buffer.AsSpan(payload, record.PayloadLength), line - record.FirstLine, out _);
            }

            filePosition += FeedLogFormat.RecordLength(headerLength, record.PayloadLength);
        }
    }

    /// <summary>The segment holding run byte (or line) <paramref name="offset"/>, and a file position at or before its record.</summary>
    /// <exception cref="FeedLogException">The log no longer holds it (older segments were deleted).</exception>
    internal (FeedLogSegment Segment, long FilePosition) Locate(long offset, bool byLine)
    {
        lock (_gate)
        {
            for (int i = _segments.Count - 1; i >= 0; i--)
            {
                FeedLogSegment segment = _segments[i];
                if ((byLine ? segment.FirstLine : segment.FirstByte) <= offset)
                {
                    if (offset >= (byLine ? segment.EndLine : segment.EndByte))
                    {
                        break;
                    }

                    return (segment, segment.Seek(offset, byLine));
                }
            }

            throw new FeedLogException(string.Create(
                CultureInfo.InvariantCulture,
                $"The feed log no longer holds {(byLine ? "line" : "byte")} {offset} (it holds lines {_segments[0].FirstLine} to {_segments[^1].EndLine - 1})."));
        }
    }

    internal static SafeFileHandle OpenSegment(FeedLogSegment segment)
    {
        try
        {
            return File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FeedLogException($"The feed log segment {segment.Path} cannot be read (deleted to bound the log's size?): {e.Message}", e);
        }
    }

    internal static FeedLogException Damaged(FeedLogSegment segment, long filePosition) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"The feed log segment {segment.Path} is damaged at byte {filePosition}: its lines from there cannot be served."));

    private static FileStream LockFolder(string directory)
    {
        string lockPath = Path.Combine(directory, LockFileName);
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new FeedLogException($"Cannot write to the feed log folder {directory}: {e.Message}", e);
        }
        catch (IOException e) when (File.Exists(lockPath))
        {
            throw new FeedLogException($"The feed log folder {directory} is in use by another Tagstream feed.", e);
        }
        catch (IOException e)
        {
            throw new FeedLogException($"Cannot create the feed log folder {directory}: {e.Message}", e);
        }
    }

    private static List<FeedLogSegment> OpenSegments(string directory, FeedLogOptions options, List<string> messages)
    {
        var files = new SortedList<long, string>();
        foreach (string path in System.IO.Directory.EnumerateFiles(directory))
        {
            if (FeedLogFormat.TryParseSegmentFileName(Path.GetFileName(path), out long firstLine))
            {
                files.Add(firstLine, path);
            }
        }

        var segments = new List<FeedLogSegment>(files.Count);
        for (int i = 0; i < files.Count; i++)
        {
            string path = files.Values[i];
            bool isLast = i == files.Count - 1;
            FeedLogSegment? segment = OpenSegment(path, isLast, options, segments.Count > 0 ? segments[^1] : null, messages);
            if (segment is not null)
            {
                segments.Add(segment);
            }
        }

        return segments;
    }

    // Reads one segment's header and records. Only the last segment can end in a record torn by a crash: it is cut off
    // there. Earlier segments were closed and fsync'ed; damage there is refused rather than guessed around.
    private static FeedLogSegment? OpenSegment(string path, bool isLast, FeedLogOptions options, FeedLogSegment? previous, List<string> messages)
    {
        string name = Path.GetFileName(path);
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        long fileLength = RandomAccess.GetLength(file);
        if (FeedLogFormat.ReadSegmentHeader(file, path) is not var (header, headerLength))
        {
            if (!isLast)
            {
                throw new FeedLogException($"The feed log segment {path} has a damaged header; move the folder away or use another --log folder.");
            }

            // A crash while the segment was being created, before any record: nothing in it was ever sent.
            file.Dispose();
            File.Delete(path);
            messages.Add($"Feed log: segment {name} had no whole header (the feed stopped while creating it); deleted it.");
            return null;
        }

        if (header.Source != options.Source)
        {
            throw new FeedLogException(
                $"The feed log in {Path.GetDirectoryName(path)} records another source ({header.Source}), not this feed's ({options.Source}); use the same source options or another --log folder.");
        }

        if (previous is not null && (header.RunId != previous.Header.RunId || header.FirstLine != previous.EndLine || header.FirstByte != previous.EndByte))
        {
            throw new FeedLogException($"The feed log segment {path} does not continue the segment before it (a file is missing or from another log); move the folder away or use another --log folder.");
        }

        if (!FeedLogFormat.TryParseSegmentFileName(name, out long named) || named != header.FirstLine)
        {
            throw new FeedLogException($"The feed log segment {path} does not start at the line its name says; move the folder away or use another --log folder.");
        }

        var segment = new FeedLogSegment(path, header, headerLength);
        var window = new FeedLogFileWindow(file, fileLength);
        long position = headerLength;
        while (position < fileLength)
        {
            if (!FeedLogSegment.TryReadRecord(window, position, wholeRecord: isLast, out var record, out int recordHeaderLength, out _)
                || record.FirstLine != segment.EndLine
                || record.FirstByte != segment.EndByte)
            {
                if (!isLast)
                {
                    throw new FeedLogException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The feed log segment {path} is damaged at byte {position}; move the folder away or use another --log folder."));
                }

                // The feed was killed (or the machine stopped) while writing this record: it was never sent to anyone.
                RandomAccess.SetLength(file, position);
                messages.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Feed log: the last record of {name} was incomplete (the feed stopped while writing it); cut off {fileLength - position} bytes after line {segment.EndLine - 1}."));
                break;
            }

            long recordLength = FeedLogFormat.RecordLength(recordHeaderLength, record.PayloadLength);
            segment.Add(record, recordLength);
            position += recordLength;
        }

        return segment;
    }

    private static (FeedLogSegment Segment, FileStream Stream) CreateSegment(string directory, FeedLogSegmentHeader header)
    {
        string path = Path.Combine(directory, FeedLogFormat.SegmentFileName(header.FirstLine));
        byte[] bytes = FeedLogFormat.EncodeSegmentHeader(header);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0);
        try
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
            DirectorySync.Flush(directory);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return (new FeedLogSegment(path, header, bytes.Length), stream);
    }

    private static FileStream OpenForAppend(FeedLogSegment segment) =>
        new(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 0);

    // Closes the full segment durably, starts the next, and deletes the oldest segments while the log would exceed its
    // size once the new one is full.
    private FeedLogSegment Roll(FeedLogSegment full)
    {
        var header = new FeedLogSegmentHeader(full.EndLine, full.EndByte, RunId, _options.Source);
        FeedLogSegment next;
        List<FeedLogSegment> deleted = [];
        try
        {
            lock (_flushGate)
            {
                _active.Flush(flushToDisk: true);
                _active.Dispose();
                (next, _active) = CreateSegment(Directory, header);
            }

            lock (_gate)
            {
                _segments.Add(next);
                _totalBytes += next.Length;
                while (_segments.Count > 1 && _totalBytes + _options.EffectiveSegmentBytes > _options.MaxBytes)
                {
                    deleted.Add(_segments[0]);
                    _totalBytes -= _segments[0].Length;
                    _segments.RemoveAt(0);
                }
            }

            // Readers still on a deleted segment keep reading it through their open handle; new readers get "no longer held".
            foreach (FeedLogSegment segment in deleted)
            {
                File.Delete(segment.Path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot start a new feed log segment in {Directory}: {e.Message}", e);
        }

        return next;
    }

    private void FlushInBackground()
    {
        lock (_flushGate)
        {
            if (_disposed || !Volatile.Read(ref _dirty))
            {
                return;
            }

            Volatile.Write(ref _dirty, false);
            try
            {
                _active.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                Volatile.Write(ref _flushFailure, e);
            }
        }
    }
}
