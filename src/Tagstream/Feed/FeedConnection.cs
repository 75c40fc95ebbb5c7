using System.Net;
using System.Net.Sockets;
using System.Text;
using Tagstream.Sources.Lines;

namespace Tagstream.Feed;

/// <summary>One client of a feed: its socket and how far into the run it has been sent.</summary>
/// <remarks>
/// <see cref="Offset"/>, <see cref="RingSendFrom"/> and <see cref="Dropped"/> are read and written under the server's lock. The writer loop is the
/// only code that sends on the socket; <see cref="AbortAsync"/> closes the socket and waits for that loop to end, so
/// that once it returns no send is still reading the ring. A reader loop takes whatever the client sends after its
/// hello: nothing from a well-behaved client, but a plain client's first bytes may be a Tagstream hello that came late.
/// </remarks>
internal sealed class FeedConnection
{
    private static readonly byte[] s_helloPrefix = Encoding.ASCII.GetBytes(ResumeHandshake.Prefix);

    private readonly Socket _socket;
    private Task _writer = Task.CompletedTask;
    private Task _reader = Task.CompletedTask;

    /// <param name="socket">The client's socket.</param>
    /// <param name="endPoint">The client's address, for messages.</param>
    /// <param name="offset">The ring offset of the first byte to send it.</param>
    /// <param name="version">The version of the client's hello; 0 for a plain client.</param>
    /// <param name="endKey">The key of its end marker (version 2 only).</param>
    public FeedConnection(Socket socket, EndPoint endPoint, long offset, int version, string? endKey)
    {
        _socket = socket;
        EndPoint = endPoint;
        Offset = offset;
        Version = version;
        EndKey = endKey;
    }

    public EndPoint EndPoint { get; }

    /// <summary>The version of the client's hello; 0 for a plain client.</summary>
    public int Version { get; }

    /// <summary>The key of this connection's end marker, for a version 2 client; null otherwise.</summary>
    public string? EndKey { get; }

    /// <summary>The ring offset of the next byte to send.</summary>
    public long Offset { get; set; }

    /// <summary>
    /// The ring offset its writer is sending from, straight out of the ring, or -1 when it is not: the ring must not
    /// overwrite those bytes until the send is over.
    /// </summary>
    public long RingSendFrom { get; set; } = -1;

    /// <summary>Set once the connection is gone or being dropped; it is never sent to again.</summary>
    public bool Dropped { get; set; }

    public Socket Socket => _socket;

    /// <summary>Lines read from the feed log for this client while it catches up; allocated on first use.</summary>
    public byte[]? LogBuffer { get; set; }

    /// <summary>Starts sending, and reading what the client sends.</summary>
    /// <param name="writeLoop">Sends the lines.</param>
    /// <param name="lateHello">Called once if a plain client turns out to be a Tagstream client whose hello came late.</param>
    public void Start(Func<FeedConnection, Task> writeLoop, Action<FeedConnection> lateHello)
    {
        _writer = writeLoop(this);
        _reader = ReadLoopAsync(lateHello);
    }

    /// <summary>Closes the socket at once; <see cref="WaitStoppedAsync"/> then waits for the writer.</summary>
    public void Abort() => _socket.Dispose();

    /// <summary>Waits until the writer (stopped by <see cref="Abort"/>) no longer touches the ring.</summary>
    public async Task WaitStoppedAsync()
    {
        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The writer was stopped on purpose; the reason was reported by whoever dropped the connection.
        }
    }

    /// <summary>Stops the connection at once and waits until its writer no longer touches the ring.</summary>
    public Task AbortAsync()
    {
        Abort();
        return WaitStoppedAsync();
    }

    /// <summary>
    /// Waits for the writer to send everything, then sends <paramref name="endMarker"/> when there is one, and closes the
    /// connection cleanly with a FIN.
    /// </summary>
    public async Task CompleteAsync(TimeSpan timeout, byte[]? endMarker)
    {
        Task finished = await Task.WhenAny(_writer, Task.Delay(timeout)).ConfigureAwait(false);
        if (finished == _writer && _writer.IsCompletedSuccessfully)
        {
            await ShutdownAsync(endMarker, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }

        await AbortAsync().ConfigureAwait(false);
    }

    // Closing a socket that still has unread input makes the kernel send a reset, which can destroy lines the peer
    // has not read yet. So: send the FIN, then let the reader discard input until the peer closes too, for a moment at
    // most (a peer that never closes must not hold up the feed's exit).
    private async Task ShutdownAsync(byte[]? endMarker, TimeSpan timeout)
    {
        try
        {
            if (endMarker is not null)
            {
                using var sending = new CancellationTokenSource(timeout);
                for (int sent = 0; sent < endMarker.Length;)
                {
                    sent += await _socket.SendAsync(endMarker.AsMemory(sent), SocketFlags.None, sending.Token).ConfigureAwait(false);
                }
            }

            _socket.Shutdown(SocketShutdown.Send);
            await Task.WhenAny(_reader, Task.Delay(timeout)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone or slow to close; the lines were already handed to the kernel.
        }
    }

    // Reads and discards until the peer closes. A plain client's first bytes are watched: `nc` and Spark send nothing,
    // so bytes that start like a hello are a Tagstream counter that was too slow to send it, and that must not count
    // plain lines from wherever this connection started.
    private async Task ReadLoopAsync(Action<FeedConnection> lateHello)
    {
        await Task.Yield();
        byte[] buffer = new byte[ResumeHandshake.MaxLineBytes];
        int matched = Version == 0 ? 0 : -1;
        try
        {
            while (true)
            {
                int read = await _socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                if (matched < 0)
                {
                    continue;
                }

                int take = Math.Min(read, s_helloPrefix.Length - matched);
                if (!buffer.AsSpan(0, take).SequenceEqual(s_helloPrefix.AsSpan(matched, take)))
                {
                    matched = -1;
                    continue;
                }

                matched += take;
                if (matched == s_helloPrefix.Length)
                {
                    lateHello(this);
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed by either side: the writer reports it.
        }
    }
}
