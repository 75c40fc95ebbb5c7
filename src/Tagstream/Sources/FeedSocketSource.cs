using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Tagstream.Sources.Lines;

namespace Tagstream.Sources;

/// <summary>
/// Reads protocol lines from a <c>tagstream feed</c> (or any server that writes lines, such as <c>nc -l</c>) over TCP:
/// the socket text stream of the original notebook, made to reconnect and to resume where it stopped.
/// </summary>
/// <remarks>
/// <para>
/// On every connection it opens with the resume hello (see <see cref="ResumeHandshake"/>): the feed then sends lines
/// from the first line not yet read, so a dropped connection or a restarted counter loses nothing the feed still
/// holds. The first chunk after each connection carries no lines, only the position the feed answered with, so that a
/// job can make its starting place durable before any line arrives.
/// </para>
/// <para>
/// A server that does not answer the hello is read as plain lines, without a position, unless the source holds a
/// position: then the server is either a feed that took this source for a plain client (it closes such a connection)
/// or another server, and counting its lines would lose or double posts, so the source reconnects instead. Set
/// <see cref="FeedSocketOptions.PlainServer"/> for a server known to be plain.
/// </para>
/// <para>
/// A feed ends its run with an end marker; a connection that ends without it is a feed that stopped or crashed, and the
/// source reconnects and resumes, even with <see cref="FeedSocketOptions.UntilEof"/> (which ends the source at the
/// marker, or at a plain server's end). Bytes after the last <c>\n</c> from a feed are a line cut in two: they are
/// dropped and the line is read again after reconnecting; from a plain server they are its last post.
/// </para>
/// </remarks>
public sealed class FeedSocketSource : PostSource
{
    private static readonly byte[] s_prefix = Encoding.ASCII.GetBytes(ResumeHandshake.Prefix);

    private readonly FeedSocketOptions _options;
    private readonly IProgress<SourceStatus>? _status;
    private Socket? _socket;
    private ReadAheadPipe? _readAhead;
    private LineChunkReader? _reader;
    private string? _run;
    private long _line;
    private string? _endKey;
    private bool _runEnded;
    private bool _countedPlain;
    private bool _goPending;
    private long? _unreachableSince;
    private TimeSpan _retryDelay;
    private string? _lastProblem;
    private long _connections;

    /// <summary>Creates the source; it connects on the first read.</summary>
    /// <param name="options">Where to connect and how to behave.</param>
    /// <param name="status">Receives one status per change of connection state.</param>
    public FeedSocketSource(FeedSocketOptions options, IProgress<SourceStatus>? status = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _status = status;
        _retryDelay = options.MinRetryDelay;
        if (options.ResumeFrom is { } from)
        {
            _run = from.Run;
            _line = from.Offset;
        }
    }

    /// <inheritdoc />
    public override string Name => "socket";

    /// <inheritdoc />
    public override async ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken)
    {
        if (_goPending)
        {
            // Read again: whoever read the position chunk has done with it (a job commits it first), so lines may come.
            _goPending = false;
            try
            {
                await _socket!.SendAsync(ResumeHandshake.Go, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                await DisconnectAsync().ConfigureAwait(false);
                Unreachable();
                Report(SourceSeverity.Warning, $"Lost the connection to {_options.Host}:{_options.Port} ({Describe(e)}); reconnecting.");
            }
        }

        while (true)
        {
            if (_reader is null)
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
                return new PostChunk(ReadOnlyMemory<byte>.Empty, null, 0, Position, isFinal: false);
            }

            LineChunk chunk;
            try
            {
                chunk = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                await DisconnectAsync().ConfigureAwait(false);
                Unreachable();
                Report(SourceSeverity.Warning, $"Lost the connection to {_options.Host}:{_options.Port} ({Describe(e)}); reconnecting.");
                continue;
            }

            ReadOnlyMemory<byte> lines = chunk.Lines;
            if (!chunk.IsFinal)
            {
                if (_endKey is not null)
                {
                    lines = TakeEndMarker(lines);
                }

                _line += lines.Span.Count((byte)'\n');
                return new PostChunk(lines, null, chunk.SkippedLines, Position, isFinal: false);
            }

            bool plain = _endKey is null;
            await DisconnectAsync().ConfigureAwait(false);
            if (plain)
            {
                // A plain server's last line may lack its '\n': it is still a post.
                if (_options.UntilEof)
                {
                    return new PostChunk(lines, null, chunk.SkippedLines, null, isFinal: true);
                }

                Report(SourceSeverity.Warning, $"The server at {_options.Host}:{_options.Port} closed the connection; reconnecting.");
                if (!lines.IsEmpty || chunk.SkippedLines > 0)
                {
                    return new PostChunk(lines, null, chunk.SkippedLines, null, isFinal: false);
                }

                continue;
            }

            if (_runEnded)
            {
                if (_options.UntilEof)
                {
                    return new PostChunk(ReadOnlyMemory<byte>.Empty, null, chunk.SkippedLines, Position, isFinal: true);
                }

                // The next run of a feed on this address starts afresh: nothing of this one is missing.
                Report(SourceSeverity.Info, string.Create(
                    CultureInfo.InvariantCulture,
                    $"The feed's run {_run} ended after line {_line}, every line of it counted; waiting for the feed's next run."));
                (_run, _line, _runEnded) = (null, 0, false);
                continue;
            }

            // A FIN without the end marker: the feed stopped or failed. Bytes without their '\n' are a line cut in two.
            Unreachable();
            Report(SourceSeverity.Warning, string.Create(
                CultureInfo.InvariantCulture,
                $"The feed at {_options.Host}:{_options.Port} closed the connection without ending its run (it stopped or failed); reconnecting to resume after line {_line}."));
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private SourcePosition? Position => _run is null ? null : new SourcePosition(_run, _line);

    // The end marker, when the feed sent it, is the last line of a chunk: nothing follows it but the FIN.
    private ReadOnlyMemory<byte> TakeEndMarker(ReadOnlyMemory<byte> lines)
    {
        ReadOnlySpan<byte> span = lines.Span;
        if (span.IsEmpty)
        {
            return lines;
        }

        int start = span[..^1].LastIndexOf((byte)'\n') + 1;
        if (span[start] == ResumeHandshake.EndMarkerStart
            && ResumeHandshake.IsEndMarker(span[start..^1], _run!, _endKey!, out long lastLine)
            && lastLine == _line + span[..start].Count((byte)'\n'))
        {
            _runEnded = true;
            return lines[..start];
        }

        return lines;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // The hello is ready before connecting and goes out at once; a feed that took this source for a plain client
            // because the hello came late closes the connection, and the source reconnects.
            byte[]? hello = _options.PlainServer ? null : ResumeHandshake.FormatHello(Position);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            string problem;
            string reason;
            try
            {
                await socket.ConnectAsync(_options.Host, _options.Port, cancellationToken).ConfigureAwait(false);
                if (hello is not null)
                {
                    await socket.SendAsync(hello, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }

                _socket = socket;
                _readAhead = ReadAheadPipe.Start(new NetworkStream(socket, ownsSocket: false), ownsStream: true);
                if (await ReadAnswerAsync(cancellationToken).ConfigureAwait(false))
                {
                    _reader = new LineChunkReader(_readAhead.Reader, _options.MaxLineBytes);
                    _retryDelay = _options.MinRetryDelay;
                    (_lastProblem, _unreachableSince) = (null, null);
                    return;
                }

                reason = "it sent plain lines instead of answering the resume request";
                problem = string.Create(
                    CultureInfo.InvariantCulture,
                    $"The server at {_options.Host}:{_options.Port} sent plain lines instead of answering the resume request (run {_run}, line {_line}). Not counting them, so that nothing is lost or counted twice; reconnecting. A feed that was too slow to see the request closes such a connection; a plain line server never answers.");
                await DisconnectAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException && cancellationToken.IsCancellationRequested)
            {
                // Stopped while connecting (Ctrl+C during a refused reconnect): that is a stop, not a failure.
                socket.Dispose();
                await DisconnectAsync().ConfigureAwait(false);
                throw new OperationCanceledException("Stopped while connecting to the feed.", e, cancellationToken);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                socket.Dispose();
                await DisconnectAsync().ConfigureAwait(false);
                reason = Describe(e);
                problem = $"Cannot reach the feed at {_options.Host}:{_options.Port} ({reason}); retrying every {_options.MaxRetryDelay.TotalSeconds:0.#} s at most.";
            }

            Unreachable();
            TimeSpan unreachable = _options.TimeProvider.GetElapsedTime(_unreachableSince!.Value);
            if (_options.ConnectTimeout is { } bound && unreachable >= bound)
            {
                throw new IOException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Could not reach the feed at {_options.Host}:{_options.Port} for {unreachable.TotalSeconds:0} s (last: {reason}); giving up."));
            }

            if (problem != _lastProblem)
            {
                Report(SourceSeverity.Warning, problem);
                _lastProblem = problem;
            }

            await Task.Delay(_retryDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        }
    }

    // The feed has been out of reach since the first failure after the last good connection.
    private void Unreachable() => _unreachableSince ??= _options.TimeProvider.GetTimestamp();

    // Reads the feed's answer to the hello; false when the server answered with plain lines that must not be counted.
    // A plain line server gives no answer: whatever it sends first is protocol data, left in the pipe for the line reader.
    // (A plain server that sends nothing leaves nothing to count either.)
    private async Task<bool> ReadAnswerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            PipeReader pipe = _readAhead!.Reader;
            ReadResult result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            SequencePosition? newline = buffer.PositionOf((byte)'\n');
            byte[] head = buffer.Slice(0, Math.Min(buffer.Length, s_prefix.Length)).ToArray();
            if (result.IsCompleted && buffer.IsEmpty)
            {
                throw new IOException("the server closed the connection before sending anything");
            }

            if (_options.PlainServer || !s_prefix.AsSpan(0, head.Length).SequenceEqual(head) || (result.IsCompleted && newline is null))
            {
                pipe.AdvanceTo(buffer.Start);
                return Plain();
            }

            if (newline is { } end)
            {
                string answer = Encoding.UTF8.GetString(buffer.Slice(0, end)).TrimEnd('\r');
                pipe.AdvanceTo(buffer.GetPosition(1, end));
                if (!ResumeHandshake.TryParseAnswer(answer, out string run, out long firstLine, out long missing, out string endKey))
                {
                    throw new IOException("the feed's answer to the resume hello was not understood");
                }

                _goPending = _run is null;
                Resumed(run, firstLine, missing, endKey);
                return true;
            }

            pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private bool Plain()
    {
        if (_run is not null && !_options.PlainServer)
        {
            return false;
        }

        _endKey = null;
        _countedPlain = true;
        Connected(plain: true);
        return true;
    }

    private void Resumed(string run, long firstLine, long missing, string endKey)
    {
        string? previousRun = _run;
        long previousLine = _line;
        (_run, _line, _endKey, _runEnded) = (run, firstLine, endKey, false);
        Connected(plain: false);
        if (_countedPlain)
        {
            // This source counted lines it was sent as a plain client (with no position to resume at) before this feed
            // answered: the lines between those and this one may be missing.
            Report(SourceSeverity.Warning, string.Create(
                CultureInfo.InvariantCulture,
                $"The server at {_options.Host}:{_options.Port} is a Tagstream feed: the lines it sent before as plain lines are counted, but posts between them and line {firstLine} of run {run} may be missing."));
            _countedPlain = false;
        }
        else if (missing == ResumeHandshake.UnknownMissing && previousRun is not null)
        {
            Report(SourceSeverity.Warning, string.Create(
                CultureInfo.InvariantCulture,
                $"The feed restarted (run {previousRun} -> {run}): posts after line {previousLine} of its previous run may be missing; {firstLine} posts of the new run were no longer buffered."));
        }
        else if (missing > 0)
        {
            Report(SourceSeverity.Warning, string.Create(
                CultureInfo.InvariantCulture,
                $"The feed no longer held lines {previousLine} to {firstLine - 1}: {missing} posts are missing."));
        }
    }

    private void Connected(bool plain)
    {
        _connections++;
        string what = _connections == 1 ? "Connected to" : "Reconnected to";
        Report(SourceSeverity.Info, plain
            ? $"{what} {_options.Host}:{_options.Port} (a plain line server: no resume)."
            : string.Create(CultureInfo.InvariantCulture, $"{what} the feed at {_options.Host}:{_options.Port}, run {_run}, from line {_line}."));
    }

    private async Task DisconnectAsync()
    {
        _reader = null;
        if (_readAhead is not null)
        {
            await _readAhead.DisposeAsync().ConfigureAwait(false);
            _readAhead = null;
        }

        _socket?.Dispose();
        _socket = null;
    }

    private void Report(SourceSeverity severity, string message) => _status?.Report(new SourceStatus(Name, severity, message));

    private static string Describe(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "connection reset",
        SocketException s => s.Message,
        IOException { InnerException: SocketException s } => Describe(s),
        _ => e.Message,
    };
}
