using System.Net.WebSockets;

namespace Tagstream.Sources.Live.Transport;

/// <summary>One open WebSocket of a live source and its receive buffer.</summary>
internal sealed class WebSocketConnection : IDisposable
{
    public WebSocketConnection(ClientWebSocket socket, int bufferBytes)
    {
        Socket = socket;
        Buffer = new byte[bufferBytes];
    }

    public ClientWebSocket Socket { get; }

    public byte[] Buffer { get; }

    public void Dispose() => Socket.Dispose();
}
