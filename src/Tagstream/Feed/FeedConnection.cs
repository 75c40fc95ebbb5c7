using System.Net;
using System.Net.Sockets;

namespace Tagstream.Feed;

/// <summary>One client of a feed: its socket and how far into the run it has been sent.</summary>
/// <remarks>
/// <see cref="Offset"/>, <see cref="RingSendFrom"/> and <see cref="Dropped"/> are read and written under the server's lock. The writer loop is the
/// only code that sends on the socket; <see cref="AbortAsync"/> closes the socket and waits for that loop to end, so
/// that once it returns no send is still reading the ring.
/// </remarks>
internal sealed class FeedConnection
{
    private readonly Socket _socket;
    private Task _writer = Task.CompletedTask;

    public FeedConnection(Socket socket, EndPoint endPoint, long offset)
    {
        _socket = socket;
        EndPoint = endPoint;
        Offset = offset;
    }

    public EndPoint EndPoint { get; }

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

    public void Start(Func<FeedConnection, Task> writeLoop) => _writer = writeLoop(this);

    /// <summary>Stops the connection at once and waits until its writer no longer touches the ring.</summary>
    public async Task AbortAsync()
    {
        _socket.Dispose();
        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The writer was stopped on purpose; the reason was reported by whoever dropped the connection.
        }
    }

    /// <summary>Waits for the writer to send everything, then closes the connection cleanly with a FIN.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        Task finished = await Task.WhenAny(_writer, Task.Delay(timeout)).ConfigureAwait(false);
        if (finished == _writer && _writer.IsCompletedSuccessfully)
        {
            await ShutdownAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }

        await AbortAsync().ConfigureAwait(false);
    }

    // Closing a socket that still has unread input makes the kernel send a reset, which can destroy lines the peer
    // has not read yet. So: send the FIN, then read and discard until the peer closes too, for a moment at most
    // (a peer that never closes must not hold up the feed's exit).
    private async Task ShutdownAsync(TimeSpan timeout)
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            using var deadline = new CancellationTokenSource(timeout);
            byte[] discard = new byte[4096];
            while (await _socket.ReceiveAsync(discard, SocketFlags.None, deadline.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone or slow to close; the lines were already handed to the kernel.
        }
    }
}
