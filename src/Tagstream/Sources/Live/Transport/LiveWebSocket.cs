using System.Net;
using System.Net.WebSockets;

namespace Tagstream.Sources.Live.Transport;

/// <summary>Opening a WebSocket and receiving whole messages with an idle timeout, for Jetstream and Mastodon.</summary>
internal static class LiveWebSocket
{
    /// <summary>A socket that keeps the handshake's status (to tell 401 from 503) and pings to detect a dead peer.</summary>
    public static ClientWebSocket Create(TimeSpan idleTimeout)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        socket.Options.KeepAliveTimeout = idleTimeout;
        return socket;
    }

    /// <summary>Connects, returning null on success or a failure to retry.</summary>
    /// <param name="socket">The socket to connect.</param>
    /// <param name="uri">The address (no credential in it: it may appear in messages).</param>
    /// <param name="source">The source's name for messages.</param>
    /// <param name="timeout">How long the handshake may take.</param>
    /// <param name="timeProvider">The clock of the timeout.</param>
    /// <param name="fatal">Builds the stop message for a status where retrying cannot help.</param>
    /// <param name="cancellationToken">Stops connecting.</param>
    /// <exception cref="LiveSourceException">The server answered a status where retrying cannot help.</exception>
    public static async Task<StreamFailure?> ConnectAsync(
        ClientWebSocket socket, Uri uri, string source, TimeSpan timeout, TimeProvider timeProvider,
        Func<HttpStatusCode, string> fatal, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await socket.ConnectAsync(uri, linked.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new StreamFailure(ReconnectReason.Network, $"{source}.timeout", $"{uri.Host} did not answer within {timeout.TotalSeconds:0.##} s");
        }
        catch (WebSocketException e)
        {
            var status = socket.HttpStatusCode;
            if (status is 0 or HttpStatusCode.SwitchingProtocols)
            {
                return new StreamFailure(ReconnectReason.Network, $"{source}.network", $"connecting to {uri.Host} failed: {e.Message}");
            }

            if (LiveHttp.RetryReason(status) is not { } reason)
            {
                throw new LiveSourceException(fatal(status), e);
            }

            return new StreamFailure(reason, $"{source}.http-{(int)status}", $"{uri.Host} refused the connection (HTTP {(int)status} {status})");
        }
    }

    /// <summary>
    /// Receives one whole message into <paramref name="buffer"/>. Length is -1 when the message was longer than the
    /// buffer (it was read to its end and dropped); a failure says why the connection ended.
    /// </summary>
    public static async ValueTask<(int Length, WebSocketMessageType Type, StreamFailure? Failure)> ReceiveAsync(
        ClientWebSocket socket, byte[] buffer, string source, string host, TimeSpan idleTimeout, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(idleTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var length = 0;
        var oversized = false;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    oversized = true;
                    length = 0;
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(length), linked.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var why = socket.CloseStatusDescription is { Length: > 0 } description ? $": {description}" : "";
                    return (0, result.MessageType, new StreamFailure(ReconnectReason.Network, $"{source}.closed",
                        $"{host} closed the connection ({socket.CloseStatus}{why})"));
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    return (oversized ? -1 : length, result.MessageType, null);
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (0, default, new StreamFailure(ReconnectReason.Network, $"{source}.idle",
                $"no message from {host} for {idleTimeout.TotalSeconds:0.##} s"));
        }
        catch (WebSocketException e)
        {
            var where = length > 0 || oversized ? "in the middle of a message (the partial message was dropped)" : $"({e.Message})";
            return (0, default, new StreamFailure(ReconnectReason.Network, $"{source}.connection-lost",
                $"the connection to {host} was lost {where}"));
        }
    }
}
