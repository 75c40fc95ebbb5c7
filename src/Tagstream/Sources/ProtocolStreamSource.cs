using Tagstream.Sources.Lines;

namespace Tagstream.Sources;

/// <summary>
/// Protocol lines read from a byte stream: a replay file or standard input. The bytes pass through untouched.
/// </summary>
/// <remarks>
/// Plain protocol lines carry no timestamps, so pacing is a rate in posts per second rather than a recorded pace.
/// A file's position is its byte offset; a replay resumes by seeking there. A replay file is mapped into memory
/// (<see cref="MappedLineReader"/>) and must not be truncated while it is read; standard input, pipes and anything
/// that cannot be mapped are read ahead through a pipe.
/// </remarks>
public sealed class ProtocolStreamSource : PostSource
{
    private readonly IAsyncDisposable _input;
    private readonly ILineChunkReader _reader;
    private readonly RatePacer? _pacer;
    private readonly string? _runId;
    private readonly long _startOffset;
    private ReadOnlyMemory<byte> _pending;
    private long _pendingSkipped;
    private bool _pendingFinal;

    /// <summary>Reads protocol lines from <paramref name="stream"/>, which the source disposes.</summary>
    /// <param name="stream">The bytes; seeked by the caller to <paramref name="startOffset"/> when resuming.</param>
    /// <param name="name">The source's name in messages, for example <c>replay</c> or <c>stdin</c>.</param>
    /// <param name="runId">The identity of the file for checkpoints, or null when the stream cannot be resumed.</param>
    /// <param name="startOffset">The stream's offset at its current position.</param>
    /// <param name="rate">Posts per second, or null for as fast as possible.</param>
    /// <param name="maxLineBytes">Longer lines are skipped and reported.</param>
    /// <param name="timeProvider">The clock for pacing.</param>
    public ProtocolStreamSource(
        Stream stream,
        string name,
        string? runId = null,
        long startOffset = 0,
        double? rate = null,
        int maxLineBytes = LineChunkReader.DefaultMaxLineBytes,
        TimeProvider? timeProvider = null)
        : this(ValidName(name), runId, startOffset, ValidRate(rate), timeProvider, ReadAhead(stream, maxLineBytes))
    {
    }

    // The name and rate are checked (arguments before the input) before anything is started.
    private ProtocolStreamSource(string name, string? runId, long startOffset, double? rate, TimeProvider? timeProvider, (ILineChunkReader Reader, IAsyncDisposable Input) input)
    {
        Name = name;
        _runId = runId;
        _startOffset = startOffset;
        _pacer = rate is { } pace ? new RatePacer(pace, timeProvider ?? TimeProvider.System) : null;
        (_reader, _input) = input;
    }

    /// <summary>Opens a replay of a file of protocol lines, resuming at a byte offset of an earlier run when given.</summary>
    /// <exception cref="IOException">The file cannot be read; the message names it.</exception>
    public static ProtocolStreamSource OpenFile(string path, double? rate = null, SourcePosition? resumeAt = null, int maxLineBytes = LineChunkReader.DefaultMaxLineBytes, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ValidRate(rate);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"Cannot read the replay file '{path}': {e.Message}", e);
        }

        string runId = "file:" + Path.GetFullPath(path);
        long offset = 0;
        if (resumeAt is { } position && position.Run == runId && position.Offset <= stream.Length)
        {
            offset = stream.Seek(position.Offset, SeekOrigin.Begin);
        }

        return new ProtocolStreamSource("replay", runId, offset, rate, timeProvider, MapOrReadAhead(stream, maxLineBytes));
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override async ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty && !_pendingFinal)
        {
            LineChunk chunk = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            _pending = chunk.Lines;
            _pendingSkipped += chunk.SkippedLines;
            _pendingFinal = chunk.IsFinal;
        }

        ReadOnlyMemory<byte> lines = _pending;
        if (_pacer is not null && !lines.IsEmpty)
        {
            long due = await _pacer.PostsDueAsync(cancellationToken).ConfigureAwait(false);
            lines = lines[..ProtocolLines.TakeLines(lines.Span, due, out long taken)];
            _pacer.Emitted(taken);
        }

        _pending = _pending[lines.Length..];
        bool isFinal = _pendingFinal && _pending.IsEmpty;
        long skipped = _pendingSkipped;
        _pendingSkipped = 0;
        SourcePosition? position = _runId is null ? null : new SourcePosition(_runId, _startOffset + _reader.Consumed - _pending.Length);
        return new PostChunk(lines, Posts: null, skipped, position, isFinal);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _input.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static string ValidName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }

    private static double? ValidRate(double? rate) =>
        rate is { } r && !(r > 0 && double.IsFinite(r))
            ? throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate must be a positive number of posts per second.")
            : rate;

    private static (ILineChunkReader, IAsyncDisposable) ReadAhead(Stream stream, int maxLineBytes)
    {
        ReadAheadPipe pipe = ReadAheadPipe.Start(stream, ownsStream: true);
        return (new LineChunkReader(pipe.Reader, maxLineBytes), pipe);
    }

    /// <summary>Maps a file that can be mapped (see <see cref="MappedLineReader"/>); reads anything else through a pipe.</summary>
    private static (ILineChunkReader, IAsyncDisposable) MapOrReadAhead(FileStream stream, int maxLineBytes)
    {
        // Pipes are not seekable, and special files (/proc, devices) report no length: neither can be mapped.
        if (stream.CanSeek && stream.Length > 0 && maxLineBytes <= MappedLineReader.MaxLineLimit)
        {
            try
            {
                var mapped = new MappedLineReader(stream, maxLineBytes);
                return (mapped, mapped);
            }
            catch (IOException)
            {
                // Some file systems cannot map files; reading them is only slower.
            }
        }

        return ReadAhead(stream, maxLineBytes);
    }
}
