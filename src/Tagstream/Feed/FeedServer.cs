using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tagstream.Sources;
using Tagstream.Sources.Lines;

namespace Tagstream.Feed;

/// <summary>
/// Serves a source's posts as protocol lines to every client that connects: the engine of <c>tagstream feed</c>.
/// </summary>
/// <remarks>
/// <para>
/// All clients read from one ring of recent lines (<see cref="LineRing"/>). The source is read only while at least
/// one client is connected, and never faster than the fastest client takes the lines: a slow consumer slows the
/// source rather than losing data, as the original's blocking send did. A client that falls a whole ring
/// (<see cref="FeedServerOptions.BufferBytes"/>) behind the fastest one is dropped with a message, so one stalled
/// client cannot hold the others back without bound.
/// </para>
/// <para>
/// With a <see cref="FeedLog"/>, every chunk is written to the log before it enters the ring, the run and its line
/// numbers continue the logged run, and a client behind the ring reads from the log instead of being dropped: only a
/// client whose send straight out of the ring would be overwritten is dropped (it can resume from the log).
/// </para>
/// <para>
/// Invariants, all under <c>_gate</c>: every live connection's offset is within [ring.OldestOffset, ring.Written]
/// (without a log) or [log.OldestOffset, ring.Written] (with one); bytes below ring.OldestOffset and the floor of an
/// append in progress are read from the log only; the ring is only appended after every connection whose send from
/// the ring would be overwritten has been dropped and its writer has stopped.
/// </para>
/// </remarks>
public sealed class FeedServer : IAsyncDisposable
{
    private const int MaxSendBytes = 1 << 20;
    private static readonly byte[] s_newline = [(byte)'\n'];
    private static readonly byte[] s_magic = Encoding.ASCII.GetBytes(ResumeHandshake.Magic);

    private readonly FeedServerOptions _options;
    private readonly IFeedObserver _observer;
    private readonly FeedLog? _log;
    private readonly Lock _gate = new();
    private readonly LineRing _ring;
    private readonly List<FeedConnection> _connections = [];
    private readonly AsyncSignal _dataAppended = new();
    private readonly AsyncSignal _clientsChanged = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private bool _finished;
    private long _ringFloor;
    private long _skipLines;

    /// <summary>Creates a feed server; <see cref="Start"/> binds it.</summary>
    /// <param name="options">How to serve.</param>
    /// <param name="observer">Hears about connections; none when null.</param>
    /// <param name="log">
    /// A durable log to write every line to before it is sent, and to continue: the run, its line numbers and the source
    /// position come from it (open the source at <see cref="FeedLog.ResumePosition"/>). The caller keeps ownership.
    /// </param>
    /// <exception cref="ArgumentException">The options are not valid; the message says why.</exception>
    public FeedServer(FeedServerOptions options, IFeedObserver? observer = null, FeedLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _observer = observer ?? NullObserver.Instance;
        _log = log;
        _ring = new LineRing(options.BufferBytes, log?.Lines ?? 0, log?.Bytes ?? 0);
        _ringFloor = _ring.OldestOffset;
        RunId = log?.RunId ?? FeedRun.NewId(TimeProvider.System);

        // The source, opened at the log's last position, yields again the lines logged after that position.
        _skipLines = log is null ? 0 : log.Lines - log.ResumeLine;
    }

    /// <summary>Identifies this run of the feed; line numbers restart at 0 with every run (unless a log continues it).</summary>
    public string RunId { get; }

    /// <summary>Lines sent into the ring so far.</summary>
    public long Lines
    {
        get
        {
            lock (_gate)
            {
                return _ring.Lines;
            }
        }
    }

    /// <summary>Connected clients.</summary>
    public int ClientCount
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Binds and listens, then accepts clients in the background.</summary>
    /// <returns>The bound end point (useful with port 0).</returns>
    /// <exception cref="SocketException">The address cannot be bound, for example because the port is in use.</exception>
    public IPEndPoint Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The feed server is already started.");
        }

        var listener = new Socket(_options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR alone (not .NET's ReuseAddress, which on Linux also sets SO_REUSEPORT and would let two
            // feeds share a port): a restarted feed can bind while old connections linger in TIME_WAIT.
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                const int SolSocket = 1;
                const int SoReuseAddr = 2;
                listener.SetRawSocketOption(OperatingSystem.IsLinux() ? SolSocket : 0xffff, OperatingSystem.IsLinux() ? SoReuseAddr : 0x4, BitConverter.GetBytes(1));
            }

            listener.Bind(new IPEndPoint(_options.Address, _options.Port));
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener);
        return (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>
    /// Waits for the first client, then streams the source to every client until the source ends or
    /// <paramref name="cancellationToken"/> is cancelled; then lets clients take what is buffered and closes them.
    /// </summary>
    /// <returns>The number of posts sent: the run's lines (with a log, those of earlier processes of the run included).</returns>
    public async Task<long> RunAsync(PostSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_listener is null)
        {
            throw new InvalidOperationException("Start the feed server before running it.");
        }

        try
        {
            while (true)
            {
                await WaitForClientAsync(cancellationToken).ConfigureAwait(false);
                PostChunk chunk = await source.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlyMemory<byte> lines = chunk.Lines;
                if (_skipLines > 0)
                {
                    lines = lines[ProtocolLines.TakeLines(lines.Span, _skipLines, out long skipped)..];
                    _skipLines -= skipped;
                }

                if (chunk.IsFinal && !lines.IsEmpty && lines.Span[^1] != (byte)'\n')
                {
                    // The last line of a stream may lack its '\n'; clients always get whole lines.
                    lines = Concat(lines, s_newline);
                }

                while (!lines.IsEmpty)
                {
                    // A source may hand over chunks of many MiB; the ring takes them in pieces of whole lines, each at
                    // most half the ring, so the fastest client can always be ahead of the bytes a piece overwrites.
                    // Only the last piece ends where the chunk's position stands.
                    int piece = PieceLength(lines.Span, _ring.Capacity / 2);
                    await AppendAsync(lines[..piece], piece == lines.Length ? chunk.Position : null, cancellationToken).ConfigureAwait(false);
                    lines = lines[piece..];
                }

                if (chunk.IsFinal)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or the end of the run: stop reading and flush what is buffered, as at the end of the source.
        }

        await FinishAsync().ConfigureAwait(false);
        return Lines;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await FinishAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task WaitForClientAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_connections.Count > 0)
                {
                    return;
                }

                changed = _clientsChanged.WaitTask;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // The whole lines that start `lines` and fit in `maxBytes` (a line is at most the protocol's limit, which the options
    // keep at or below half the ring).
    private static int PieceLength(ReadOnlySpan<byte> lines, int maxBytes)
    {
        if (lines.Length <= maxBytes)
        {
            return lines.Length;
        }

        int lastNewline = lines[..maxBytes].LastIndexOf((byte)'\n');
        if (lastNewline >= 0)
        {
            return lastNewline + 1;
        }

        Debug.Fail("No line is longer than half the ring.");
        int lineEnd = lines.IndexOf((byte)'\n');
        return lineEnd >= 0 ? lineEnd + 1 : lines.Length;
    }

    private async Task AppendAsync(ReadOnlyMemory<byte> lines, SourcePosition? position, CancellationToken cancellationToken)
    {
        Debug.Assert(lines.Length <= _ring.Capacity / 2, "A piece is at most half the ring.");
        long lineCount = lines.Span.Count((byte)'\n');
        List<FeedConnection>? laggards = null;
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                long keepFrom = _ring.Written + lines.Length - _ring.Capacity;
                long fastest = _connections.Count == 0 ? long.MaxValue : _connections.Max(c => c.Offset);
                if (fastest >= keepFrom)
                {
                    // From here on, clients below keepFrom read the log (which already holds those bytes), not the ring.
                    _ringFloor = Math.Max(_ringFloor, keepFrom);
                    foreach (FeedConnection connection in _connections)
                    {
                        if (_log is null ? connection.Offset < keepFrom : connection.RingSendFrom >= 0 && connection.RingSendFrom < keepFrom)
                        {
                            (laggards ??= []).Add(connection);
                            connection.Dropped = true;
                        }
                    }

                    _connections.RemoveAll(c => c.Dropped);
                    break;
                }

                // Every client still needs bytes this chunk would overwrite: wait for the fastest to move on.
                wait = _dataAppended.WaitTask;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (laggards is not null)
        {
            foreach (FeedConnection laggard in laggards)
            {
                await laggard.AbortAsync().ConfigureAwait(false);
                _observer.ClientDropped(laggard.EndPoint, string.Create(
                    CultureInfo.InvariantCulture,
                    $"too slow: it fell more than {_ring.Capacity >> 20} MiB of lines behind the fastest client, so it was disconnected"));
            }

            _clientsChanged.Pulse();
        }

        // Written before any client can be sent these lines: a crash after this loses nothing a client has.
        _log?.Append(lines, lineCount, position);
        lock (_gate)
        {
            _ring.Append(lines.Span, lineCount);
        }

        _dataAppended.Pulse();
    }

    private async Task WriteLoopAsync(FeedConnection connection)
    {
        // Yield first so that Start returns before any send happens on the caller's thread.
        await Task.Yield();
        FeedLogReader? logReader = null;
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> bytes;
                Task wait;
                long logUntil = -1;
                lock (_gate)
                {
                    if (connection.Dropped)
                    {
                        return;
                    }

                    long ringFrom = Math.Max(_ring.OldestOffset, _ringFloor);
                    if (_log is not null && connection.Offset < ringFrom)
                    {
                        logUntil = ringFrom;
                        bytes = default;
                        wait = Task.CompletedTask;
                    }
                    else if (connection.Offset < _ring.Written)
                    {
                        bytes = _ring.Read(connection.Offset, MaxSendBytes);
                        connection.RingSendFrom = connection.Offset;
                        wait = Task.CompletedTask;
                    }
                    else if (_finished)
                    {
                        return;
                    }
                    else
                    {
                        bytes = default;
                        wait = _dataAppended.WaitTask;
                    }
                }

                if (logUntil >= 0)
                {
                    logReader = await SendFromLogAsync(connection, logReader, logUntil).ConfigureAwait(false);
                    continue;
                }

                if (bytes.IsEmpty)
                {
                    await wait.ConfigureAwait(false);
                    continue;
                }

                int sent = await connection.Socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
                lock (_gate)
                {
                    connection.Offset += sent;
                    connection.RingSendFrom = -1;
                }

                // The producer may be waiting for room that this send just made.
                _dataAppended.Pulse();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or FeedLogException)
        {
            bool reported;
            lock (_gate)
            {
                reported = connection.Dropped;
                connection.Dropped = true;
                connection.RingSendFrom = -1;
                _connections.Remove(connection);
            }

            if (!reported)
            {
                _observer.ClientDropped(connection.EndPoint, e switch
                {
                    SocketException se => DescribeSocketError(se),
                    FeedLogException le => "it cannot be sent older lines from the log: " + le.Message,
                    _ => "the connection was closed",
                });
                _clientsChanged.Pulse();
                connection.Socket.Dispose();
            }
        }
        finally
        {
            logReader?.Dispose();
        }
    }

    // Sends a client up to a MiB of lines it is behind the ring by, read from the log into a buffer of its own (the
    // producer may overwrite the ring meanwhile). Returns the reader to go on with.
    private async Task<FeedLogReader> SendFromLogAsync(FeedConnection connection, FeedLogReader? reader, long until)
    {
        long offset;
        lock (_gate)
        {
            offset = connection.Offset;
        }

        if (reader is null || reader.Offset != offset)
        {
            reader?.Dispose();
            reader = new FeedLogReader(_log!, offset);
        }

        connection.LogBuffer ??= new byte[MaxSendBytes];
        int length = (int)Math.Min(connection.LogBuffer.Length, until - offset);
        int filled = 0;
        while (filled < length)
        {
            filled += reader.Read(connection.LogBuffer.AsSpan(filled, length - filled));
        }

        for (int sent = 0; sent < filled;)
        {
            int n = await connection.Socket.SendAsync(connection.LogBuffer.AsMemory(sent, filled - sent), SocketFlags.None).ConfigureAwait(false);
            sent += n;
            lock (_gate)
            {
                connection.Offset += n;
            }
        }

        _dataAppended.Pulse();
        return reader;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            client.NoDelay = true;
            _ = AdmitAsync(client);
        }
    }

    private async Task AdmitAsync(Socket client)
    {
        EndPoint endPoint = client.RemoteEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        SourcePosition? resumeFrom = null;
        bool tagstreamClient;
        try
        {
            (tagstreamClient, resumeFrom) = await ReadHelloAsync(client).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            client.Dispose();
            return;
        }

        long offset;
        long firstLine = 0;
        long missing = 0;
        bool lookUp = false;
        lock (_gate)
        {
            if (_finished)
            {
                client.Dispose();
                return;
            }

            offset = _ring.Written;
            if (tagstreamClient)
            {
                (offset, firstLine, missing, lookUp) = ResumePoint(resumeFrom);
            }
        }

        if (lookUp)
        {
            // Older than the ring, held by the log: find the line's offset there, without holding up the feed.
            try
            {
                offset = _log!.FindLine(firstLine);
            }
            catch (FeedLogException)
            {
                // Deleted meanwhile to bound the log: start at its new oldest line. Damaged: start after the damage, at the
                // ring's oldest line (newer than the asked one, or there would have been no look-up). Say what is missing.
                lock (_gate)
                {
                    long oldest = _log!.OldestLine;
                    if (oldest > firstLine)
                    {
                        offset = _log.OldestOffset;
                    }
                    else
                    {
                        oldest = _ring.OldestLine;
                        _ring.TryFindLine(oldest, out offset);
                    }

                    (firstLine, missing) = (oldest, oldest - firstLine);
                }
            }
        }

        if (tagstreamClient)
        {
            try
            {
                await client.SendAsync(ResumeHandshake.FormatAnswer(RunId, firstLine, missing), SocketFlags.None).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                client.Dispose();
                return;
            }
        }

        var connection = new FeedConnection(client, endPoint, offset);
        lock (_gate)
        {
            if (_finished || connection.Offset < Math.Min(_log?.OldestOffset ?? long.MaxValue, _ring.OldestOffset))
            {
                // The run ended, or the ring (or the log) moved past the resume point while we were answering: the client
                // reconnects and asks again.
                client.Dispose();
                return;
            }

            _connections.Add(connection);
            connection.Start(WriteLoopAsync);
        }

        _observer.ClientConnected(endPoint, tagstreamClient ? resumeFrom?.Offset : null);
        _clientsChanged.Pulse();
    }

    // Under _gate. Where a Tagstream client starts: the line it asks for when the ring (or the log, after a look-up)
    // still has it, otherwise the oldest line held, with the number of lines it will miss (unknown when the feed
    // restarted since without a log, or when the log lost its tail in a machine crash).
    private (long Offset, long Line, long Missing, bool LookUp) ResumePoint(SourcePosition? resumeFrom)
    {
        if (resumeFrom is not { } from)
        {
            return (_ring.Written, _ring.Lines, 0, false);
        }

        if (from.Run == RunId && _ring.TryFindLine(from.Offset, out long offset))
        {
            return (offset, from.Offset, 0, false);
        }

        if (from.Run == RunId && from.Offset > _ring.Lines)
        {
            // Only after a machine crash lost the unflushed end of the log: the client counted lines this run no longer has.
            return (_ring.Written, _ring.Lines, ResumeHandshake.UnknownMissing, false);
        }

        if (from.Run == RunId && _log is not null && from.Offset >= _log.OldestLine)
        {
            return (0, from.Offset, 0, true);
        }

        (long oldestOffset, long oldest) = OldestHeld();
        long missing = from.Run == RunId && from.Offset < oldest ? oldest - from.Offset : ResumeHandshake.UnknownMissing;
        return (oldestOffset, oldest, missing, false);
    }

    // Under _gate. The oldest line the feed can send, from the ring or the log, and its offset.
    private (long Offset, long Line) OldestHeld()
    {
        long oldest = _ring.OldestLine;
        _ring.TryFindLine(oldest, out long offset);
        if (_log is not null && _log.OldestLine < oldest)
        {
            return (_log.OldestOffset, _log.OldestLine);
        }

        return (offset, oldest);
    }

    private async Task<(bool TagstreamClient, SourcePosition? ResumeFrom)> ReadHelloAsync(Socket client)
    {
        byte[] buffer = new byte[ResumeHandshake.MaxLineBytes];
        int length = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.HelloTimeout);
        try
        {
            while (length < buffer.Length)
            {
                int read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                int newline = buffer.AsSpan(0, length).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    string line = Encoding.UTF8.GetString(buffer, 0, newline).TrimEnd('\r');
                    return ResumeHandshake.TryParseHello(line, out SourcePosition? from) ? (true, from) : (false, null);
                }

                int prefix = Math.Min(length, s_magic.Length);
                if (!buffer.AsSpan(0, prefix).SequenceEqual(s_magic.AsSpan(0, prefix)))
                {
                    return (false, null);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Silence: a plain client such as nc.
        }

        return (false, null);
    }

    private async Task FinishAsync()
    {
        List<FeedConnection> connections;
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            connections = [.. _connections];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        _dataAppended.Pulse();
        await Task.WhenAll(connections.Select(c => c.CompleteAsync(_options.FlushTimeout))).ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
    }

    private static ReadOnlyMemory<byte> Concat(ReadOnlyMemory<byte> first, ReadOnlySpan<byte> second)
    {
        byte[] joined = new byte[first.Length + second.Length];
        first.Span.CopyTo(joined);
        second.CopyTo(joined.AsSpan(first.Length));
        return joined;
    }

    private static string DescribeSocketError(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionReset => "the client reset the connection",
        SocketError.Shutdown or SocketError.ConnectionAborted => "the client closed the connection",
        _ => "the connection failed: " + e.Message,
    };

    private sealed class NullObserver : IFeedObserver
    {
        public static readonly NullObserver Instance = new();
    }
}
