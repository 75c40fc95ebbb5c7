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
/// holds. A server that does not answer the hello is read as plain lines.
/// </para>
/// <para>
/// A feed always ends its lines with <c>\n</c>, so bytes after the last <c>\n</c> when a connection ends are a line
/// cut in two: they are dropped and the line is read again after reconnecting. With <see cref="FeedSocketOptions.UntilEof"/>
/// the first end of stream ends the source instead.
/// </para>
/// </remarks>
public sealed class FeedSocketSource : PostSource
{
    private static readonly byte[] s_magic = Encoding.ASCII.GetBytes(ResumeHandshake.Magic);

    private readonly FeedSocketOptions _options;
    private readonly IProgress<SourceStatus>? _status;
    private Socket? _socket;
    private ReadAheadPipe? _readAhead;
    private LineChunkReader? _reader;
    private string? _run;
    private long _line;
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
        while (true)
        {
            if (_reader is null)
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
            }

            LineChunk chunk;
            try
            {
                chunk = await _reader!.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                await DisconnectAsync().ConfigureAwait(false);
                Report(SourceSeverity.Warning, $"Lost the connection to {_options.Host}:{_options.Port} ({Describe(e)}); reconnecting.");
                continue;
            }

            if (!chunk.IsFinal)
            {
                _line += chunk.Lines.Span.Count((byte)'\n');
                return new PostChunk(chunk.Lines, null, chunk.SkippedLines, Position, IsFinal: false);
            }

            // The end of a connection. Bytes without their '\n' are a line cut in two: read it again after reconnecting.
            await DisconnectAsync().ConfigureAwait(false);
            if (_options.UntilEof)
            {
                return new PostChunk(ReadOnlyMemory<byte>.Empty, null, chunk.SkippedLines, Position, IsFinal: true);
            }

            Report(SourceSeverity.Warning, $"The feed at {_options.Host}:{_options.Port} closed the connection; reconnecting.");
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private SourcePosition? Position => _run is null ? null : new SourcePosition(_run, _line);

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // The hello is ready before connecting and goes out at once: the feed serves a client that stays silent
            // for its hello timeout as a plain one.
            byte[] hello = ResumeHandshake.FormatHello(Position);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(_options.Host, _options.Port, cancellationToken).ConfigureAwait(false);
                await socket.SendAsync(hello, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                _socket = socket;
                _readAhead = ReadAheadPipe.Start(new NetworkStream(socket, ownsSocket: false), ownsStream: true);
                await ReadAnswerAsync(cancellationToken).ConfigureAwait(false);
                _reader = new LineChunkReader(_readAhead.Reader, _options.MaxLineBytes);
                _retryDelay = _options.MinRetryDelay;
                _lastProblem = null;
                return;
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
                string problem = $"Cannot reach the feed at {_options.Host}:{_options.Port} ({Describe(e)}); retrying every {_options.MaxRetryDelay.TotalSeconds:0.#} s at most.";
                if (problem != _lastProblem)
                {
                    Report(SourceSeverity.Warning, problem);
                    _lastProblem = problem;
                }

                await Task.Delay(_retryDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
    }

    // Reads the feed's answer to the hello. A plain line server gives none: whatever it sends first is protocol data,
    // left in the pipe for the line reader. (A plain server that sends nothing leaves nothing to count either.)
    private async Task ReadAnswerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            PipeReader pipe = _readAhead!.Reader;
            ReadResult result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            SequencePosition? newline = buffer.PositionOf((byte)'\n');
            byte[] head = buffer.Slice(0, Math.Min(buffer.Length, s_magic.Length)).ToArray();
            if (!s_magic.AsSpan(0, head.Length).SequenceEqual(head))
            {
                pipe.AdvanceTo(buffer.Start);
                Connected(plain: true);
                if (_run is not null)
                {
                    // Lines now come from wherever the server chose, so the old position means nothing any more.
                    Report(SourceSeverity.Warning, string.Create(
                        CultureInfo.InvariantCulture,
                        $"The server did not answer the resume request, so posts after line {_line} of run {_run} may be missing; counting on from what it sends now."));
                    _run = null;
                    _line = 0;
                }

                return;
            }

            if (newline is { } end)
            {
                string answer = Encoding.UTF8.GetString(buffer.Slice(0, end)).TrimEnd('\r');
                pipe.AdvanceTo(buffer.GetPosition(1, end));
                if (!ResumeHandshake.TryParseAnswer(answer, out string run, out long firstLine, out long missing))
                {
                    throw new IOException("the feed's answer to the resume hello was not understood");
                }

                string? previousRun = _run;
                long previousLine = _line;
                _run = run;
                _line = firstLine;
                Connected(plain: false);
                if (missing == ResumeHandshake.UnknownMissing && previousRun is not null)
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

                return;
            }

            if (result.IsCompleted)
            {
                throw new IOException("the feed closed the connection during the resume hello");
            }

            pipe.AdvanceTo(buffer.Start, buffer.End);
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
