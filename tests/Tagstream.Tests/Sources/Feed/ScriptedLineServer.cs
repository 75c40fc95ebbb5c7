using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Tagstream.Tests.Sources.Feed;

/// <summary>
/// A loopback server whose connections the test plays one at a time, in order, so that a test decides exactly what a
/// counter's source is answered and sent on each of its connections (a feed that crashes, a plain server, ...).
/// </summary>
internal sealed class ScriptedLineServer : IAsyncDisposable
{
    private readonly Socket _listener = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly Channel<Socket> _accepted = Channel.CreateUnbounded<Socket>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public ScriptedLineServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Waits for the next connection and returns it with the hello line it sent (null when it sent none).</summary>
    public async Task<(Socket Client, string? Hello)> AcceptAsync(bool readHello, CancellationToken cancellationToken)
    {
        Socket client = await _accepted.Reader.ReadAsync(cancellationToken);
        if (!readHello)
        {
            return (client, null);
        }

        var line = new List<byte>();
        byte[] one = new byte[1];
        while (await client.ReceiveAsync(one, SocketFlags.None, cancellationToken) == 1 && one[0] != (byte)'\n')
        {
            line.Add(one[0]);
        }

        return (client, Encoding.UTF8.GetString([.. line]));
    }

    /// <summary>Reads one line the client sent, without its <c>\n</c>.</summary>
    public static async Task<string> ReadLineAsync(Socket client, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        while (await client.ReceiveAsync(one, SocketFlags.None, cancellationToken) == 1 && one[0] != (byte)'\n')
        {
            line.Add(one[0]);
        }

        return Encoding.UTF8.GetString([.. line]);
    }

    public static async Task SendAsync(Socket client, string text, CancellationToken cancellationToken) =>
        await client.SendAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None, cancellationToken);

    public static async Task SendAsync(Socket client, byte[] bytes, CancellationToken cancellationToken) =>
        await client.SendAsync(bytes, SocketFlags.None, cancellationToken);

    /// <summary>Sends a FIN and closes, as a process does when it exits (or is killed).</summary>
    public static void Close(Socket client)
    {
        client.Shutdown(SocketShutdown.Send);
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        while (_accepted.Reader.TryRead(out Socket? client))
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                _accepted.Writer.TryWrite(await _listener.AcceptAsync(_stop.Token));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }
}
