using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tagstream.Sources;

namespace Tagstream.Protocol;

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
/// Invariants, all under <c>_gate</c>: every live connection's offset is within [ring.OldestOffset, ring.Written];
/// the ring is only appended after every connection whose unsent bytes would be overwritten has been dropped and
/// its writer has stopped.
/// </para>
/// </remarks>
public sealed class FeedServer : IAsyncDisposable
{
    private const int MaxSendBytes = 1 << 20;
    private static readonly byte[] s_newline = [(byte)'\n'];
    private static readonly byte[] s_magic = Encoding.ASCII.GetBytes(ResumeHandshake.Magic);

    private readonly FeedServerOptions _options;
    private readonly IFeedObserver _observer;
    private readonly Lock _gate = new();
    private readonly LineRing _ring;
    private readonly List<FeedConnection> _connections = [];
    private readonly AsyncSignal _dataAppended = new();
    private readonly AsyncSignal _clientsChanged = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private bool _finished;

    /// <summary>Creates a feed server; <see cref="Start"/> binds it.</summary>
    /// <exception cref="ArgumentException">The options are not valid; the message says why.</exception>
    public FeedServer(FeedServerOptions options, IFeedObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _observer = observer ?? NullObserver.Instance;
        _ring = new LineRing(options.BufferBytes);
        RunId = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
    }

    /// <summary>Identifies this run of the feed; line numbers restart at 0 with every run.</summary>
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
    /// <returns>The number of posts sent.</returns>
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
                if (chunk.IsFinal && !lines.IsEmpty && lines.Span[^1] != (byte)'\n')
                {
                    // The last line of a stream may lack its '\n'; clients always get whole lines.
                    lines = Concat(lines, s_newline);
                }

                while (!lines.IsEmpty)
                {
                    // A source may hand over chunks of many MiB; the ring takes them in pieces of whole lines, each at
                    // most half the ring, so the fastest client can always be ahead of the bytes a piece overwrites.
                    int piece = PieceLength(lines.Span, _ring.Capacity / 2);
                    await AppendAsync(lines[..piece], cancellationToken).ConfigureAwait(false);
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

    private async Task AppendAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
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
                    foreach (FeedConnection connection in _connections)
                    {
                        if (connection.Offset < keepFrom)
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
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> bytes;
                Task wait;
                lock (_gate)
                {
                    if (connection.Dropped)
                    {
                        return;
                    }

                    if (connection.Offset < _ring.Written)
                    {
                        bytes = _ring.Read(connection.Offset, MaxSendBytes);
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

                if (bytes.IsEmpty)
                {
                    await wait.ConfigureAwait(false);
                    continue;
                }

                int sent = await connection.Socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
                lock (_gate)
                {
                    connection.Offset += sent;
                }

                // The producer may be waiting for room that this send just made.
                _dataAppended.Pulse();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            bool reported;
            lock (_gate)
            {
                reported = connection.Dropped;
                connection.Dropped = true;
                _connections.Remove(connection);
            }

            if (!reported)
            {
                _observer.ClientDropped(connection.EndPoint, e is SocketException se ? DescribeSocketError(se) : "the connection was closed");
                _clientsChanged.Pulse();
                connection.Socket.Dispose();
            }
        }
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

        FeedConnection connection;
        byte[]? answer = null;
        lock (_gate)
        {
            if (_finished)
            {
                client.Dispose();
                return;
            }

            long offset = _ring.Written;
            if (tagstreamClient)
            {
                (offset, long firstLine, long missing) = ResumePoint(resumeFrom);
                answer = ResumeHandshake.FormatAnswer(RunId, firstLine, missing);
            }

            connection = new FeedConnection(client, endPoint, offset);
        }

        if (answer is not null)
        {
            try
            {
                await client.SendAsync(answer, SocketFlags.None).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                client.Dispose();
                return;
            }
        }

        lock (_gate)
        {
            if (_finished || connection.Offset < _ring.OldestOffset)
            {
                // The run ended, or the ring moved past the resume point while we were answering: the client
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

    // Under _gate. Where a Tagstream client starts: the line it asks for when the ring still has it, otherwise the
    // oldest line held, with the number of lines it will miss (unknown when the feed restarted since).
    private (long Offset, long Line, long Missing) ResumePoint(SourcePosition? resumeFrom)
    {
        if (resumeFrom is not { } from)
        {
            return (_ring.Written, _ring.Lines, 0);
        }

        if (from.Run == RunId && _ring.TryFindLine(from.Offset, out long offset))
        {
            return (offset, from.Offset, 0);
        }

        long oldest = _ring.OldestLine;
        _ring.TryFindLine(oldest, out long oldestOffset);
        long missing = from.Run == RunId && from.Offset < oldest ? oldest - from.Offset : ResumeHandshake.UnknownMissing;
        return (oldestOffset, oldest, missing);
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
