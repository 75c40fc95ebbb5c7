using System.Net;
using System.Net.Sockets;

namespace Tagstream.Tests.Faults;

/// <summary>
/// A loopback proxy in front of a feed that, on the connections it is told to, holds back what the client sends until
/// the feed has sent the client something: the client's hello then reaches the feed after the feed has started serving
/// it as a plain client, whatever the machine's speed (a counter starved between its connect and its hello).
/// </summary>
internal sealed class HelloDelayingProxy : IAsyncDisposable
{
    private readonly Socket _listener = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly int _feedPort;
    private readonly Func<int, bool> _delay;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _acceptLoop;
    private int _connections;

    /// <param name="feedPort">The feed's port.</param>
    /// <param name="delay">Whether to delay the hello of connection N (1 for the first).</param>
    public HelloDelayingProxy(int feedPort, Func<int, bool> delay)
    {
        _feedPort = feedPort;
        _delay = delay;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Connections whose hello was held back until the feed had sent plain bytes.</summary>
    public int Delayed { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        await Task.WhenAll(_pumps);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptAsync(_stop.Token);
                int number = ++_connections;
                _pumps.Add(ServeAsync(client, _delay(number)));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket client, bool delay)
    {
        using Socket _ = client;
        using var feed = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await feed.ConnectAsync(IPAddress.Loopback, _feedPort, _stop.Token);
            var feedSentSomething = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task down = PumpAsync(feed, client, feedSentSomething);
            if (delay)
            {
                await feedSentSomething.Task.WaitAsync(_stop.Token);
                Delayed++;
            }

            Task up = PumpAsync(client, feed, null);
            await Task.WhenAny(down, up);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Either side went away.
        }
    }

    private async Task PumpAsync(Socket from, Socket to, TaskCompletionSource? firstBytes)
    {
        byte[] buffer = new byte[64 << 10];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                firstBytes?.TrySetResult();
                for (int sent = 0; sent < read;)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, _stop.Token);
                }
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Either side went away: pass it on, so that the other side sees the connection end too.
            to.Dispose();
            from.Dispose();
        }
    }
}
