using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using Tagstream.Sources.Lines;
using Tagstream.Sources.Parsing;

namespace Tagstream.Sources.Replay;

/// <summary>
/// Replays a recorded stream file in any <see cref="PostFormat"/> (X v2 or v1.1 JSON lines, Jetstream, Mastodon SSE or
/// WebSocket, text, jsonl-text, protocol lines) as chunks of protocol lines with their posts, at a chosen speed, and
/// resumes from a byte offset.
/// </summary>
/// <remarks>
/// Pacing follows the posts' timestamps (Jetstream <c>time_us</c>; otherwise the post's created time): a post recorded
/// t after the first timestamped one is released t / factor after the replay released that one. Posts without a
/// timestamp (text and protocol lines) and posts whose time went backwards are released at once. A chunk holds posts that
/// are due together, so a paced replay hands each post over on time. Malformed records are counted in
/// <see cref="PostChunk.SkippedLines"/> and reported; in-stream errors of the recording are reported and skipped.
/// </remarks>
public sealed class RecordedFileSource : PostSource
{
    private const int MaxPostsPerChunk = 1024;
    private const int MaxChunkBytes = 256 * 1024;
    private const int IdentityBytes = 4096;
    private static readonly TimeSpan MaxDelayStep = TimeSpan.FromDays(1);

    private readonly PostRecordReader _reader;
    private readonly ReplaySpeed _speed;
    private readonly TimeProvider _timeProvider;
    private readonly IProgress<SourceStatus>? _status;
    private readonly ProblemTally _problems = new();
    private readonly string _fileName;
    private readonly ArrayBufferWriter<byte> _lines = new(MaxChunkBytes + 4096);
    private readonly List<Post> _posts = [];
    private PostRecord? _pending;
    private long _offset;
    private long _skipped;
    private long? _firstTimestampMicros;
    private long _firstReleaseTimestamp;
    private bool _ended;

    private RecordedFileSource(FileStream stream, string run, PostFormat format, long offset, ReplaySpeed speed,
        TimeProvider timeProvider, IProgress<SourceStatus>? status)
    {
        _reader = new PostRecordReader(stream, format, offset);
        Run = run;
        Format = format;
        _offset = offset;
        _speed = speed;
        _timeProvider = timeProvider;
        _status = status;
        _fileName = Path.GetFileName(stream.Name);
    }

    /// <inheritdoc />
    public override string Name => "replay";

    /// <summary>The file's identity, <see cref="SourcePosition.Run"/> of this source's positions: its full path and a hash of its first 4 KiB.</summary>
    public string Run { get; }

    /// <summary>The format being replayed (detected from the file's start when opened with <see cref="PostFormat.Auto"/>).</summary>
    public PostFormat Format { get; }

    /// <summary>Opens a recorded file for replay.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">Its format, or <see cref="PostFormat.Auto"/> to detect it from its first 64 KiB.</param>
    /// <param name="speed">How fast to replay.</param>
    /// <param name="timeProvider">The clock pacing uses (a fake one in tests).</param>
    /// <param name="resumeFrom">A position this source returned earlier, to go on just after it; null to start at the beginning.</param>
    /// <param name="status">
    /// Receives a warning for the first three bad records of each distinct problem (malformed records, error objects in
    /// the recording) and, at the end, a summary of the others; null to only count malformed records.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="resumeFrom"/> belongs to another run (another file or content).</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static RecordedFileSource Open(string path, PostFormat format, ReplaySpeed speed, TimeProvider timeProvider,
        SourcePosition? resumeFrom = null, IProgress<SourceStatus>? status = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            var head = new byte[PostFormatDetector.SampleBytes];
            var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var run = "replay:" + Path.GetFullPath(path) + "#"
                + XxHash64.HashToUInt64(head.AsSpan(0, Math.Min(length, IdentityBytes))).ToString("x16", CultureInfo.InvariantCulture);
            if (resumeFrom is { } position && position.Run != run)
            {
                throw new ArgumentException($"The position to resume from belongs to another run ({position.Run}), not to {run}.", nameof(resumeFrom));
            }

            if (format == PostFormat.Auto)
            {
                format = PostFormatDetector.Detect(head.AsSpan(0, length), isWholeStream: length < head.Length);
            }

            var offset = resumeFrom?.Offset ?? 0;
            stream.Position = offset;
            return new RecordedFileSource(stream, run, format, offset, speed, timeProvider, status);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override async ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken)
    {
        _lines.ResetWrittenCount();
        _posts.Clear();
        while (!_ended)
        {
            var next = _pending ?? await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (next is not { } record)
            {
                _ended = true;
                break;
            }

            _pending = record;
            var outcome = record.Outcome;
            if (outcome.Kind == ParseOutcomeKind.Post)
            {
                for (var wait = WaitBefore(outcome); wait > TimeSpan.Zero; wait = WaitBefore(outcome))
                {
                    if (_posts.Count > 0)
                    {
                        // Hand over the posts that are due now; this one waits for the next read.
                        return Chunk();
                    }

                    // Cancellation leaves the record pending, so a later read releases it. Task.Delay takes at most
                    // about 49 days: a longer gap in a recording is waited in steps.
                    await Task.Delay(wait < MaxDelayStep ? wait : MaxDelayStep, _timeProvider, cancellationToken).ConfigureAwait(false);
                }

                _posts.Add(outcome.Post!);
                ProtocolLineEncoder.Append(_lines, outcome.Post!.Hashtags);
            }
            else if (outcome.Kind == ParseOutcomeKind.Malformed)
            {
                _skipped++;
                Report(record.Line, "skipped: " + outcome.Problem);
            }
            else if (outcome.Kind == ParseOutcomeKind.StreamError)
            {
                Report(record.Line, "stream error in the recording: " + outcome.Error);
            }

            _pending = null;
            _offset = record.EndOffset;
            if (_posts.Count >= MaxPostsPerChunk || _lines.WrittenCount >= MaxChunkBytes)
            {
                break;
            }
        }

        return Chunk();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private PostChunk Chunk()
    {
        if (_ended)
        {
            foreach (var (problem, unreported) in _problems.TakeUnreported())
            {
                _status?.Report(new SourceStatus(Name, SourceSeverity.Warning, $"{_fileName}: {unreported} more records like that: {problem}"));
            }
        }

        // Counted in a field, not per call: a read cancelled while waiting must not lose the records it skipped.
        var skipped = _skipped;
        _skipped = 0;
        return new(_lines.WrittenMemory, _posts, skipped, new SourcePosition(Run, _offset), _ended);
    }

    private void Report(long line, string problem)
    {
        if (_problems.Count(problem))
        {
            _status?.Report(new SourceStatus(Name, SourceSeverity.Warning, $"{_fileName} line {line}: {problem}"));
        }
    }

    /// <summary>How long to wait before releasing a post, so that the replay keeps the recorded pace.</summary>
    private TimeSpan WaitBefore(ParseOutcome outcome)
    {
        if (_speed.IsMax || TimestampMicros(outcome) is not { } timestamp)
        {
            return TimeSpan.Zero;
        }

        if (_firstTimestampMicros is not { } first)
        {
            _firstTimestampMicros = timestamp;
            _firstReleaseTimestamp = _timeProvider.GetTimestamp();
            return TimeSpan.Zero;
        }

        var due = TimeSpan.FromMicroseconds(Math.Max(0, timestamp - first) / _speed.Factor);
        var wait = due - _timeProvider.GetElapsedTime(_firstReleaseTimestamp);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static long? TimestampMicros(ParseOutcome outcome) =>
        outcome.Cursor ?? (outcome.Post?.CreatedAt is { } createdAt ? (createdAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10 : null);
}
