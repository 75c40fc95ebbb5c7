using System.Net.WebSockets;
using System.Text.Json;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live.Mastodon;

/// <summary>
/// Mastodon's streaming API over its WebSocket: one JSON object per text message, <c>{"stream":[...],"event":...,
/// "payload":...}</c>, where the payload is a JSON string holding the Status (https://docs.joinmastodon.org/methods/streaming/#websocket).
/// </summary>
internal sealed class MastodonWebSocketStream : ReconnectingStream<WebSocketConnection, MastodonEvent>
{
    private readonly MastodonOptions _options;

    public MastodonWebSocketStream(MastodonOptions options, LiveSourceContext context)
        : base(context) => _options = options;

    internal Uri StreamUri()
    {
        var builder = new UriBuilder(new Uri(_options.StreamingBase, "api/v1/streaming"));
        builder.Scheme = builder.Scheme == Uri.UriSchemeHttp ? "ws" : builder.Scheme == Uri.UriSchemeHttps ? "wss" : builder.Scheme;
        builder.Query = _options.HashtagStream is { } tag ? $"stream=hashtag&tag={Uri.EscapeDataString(tag)}" : "stream=public";
        return builder.Uri;
    }

    protected override async Task<(WebSocketConnection? Connection, StreamFailure Failure)> OpenAsync(CancellationToken cancellationToken)
    {
        var uri = StreamUri();
        var socket = LiveWebSocket.Create(_options.ReadTimeout);
        // In a header rather than the access_token query parameter, so the token is never part of an address in a message.
        socket.Options.SetRequestHeader("Authorization", LiveHttp.Bearer(_options.AccessToken).ToString());
        try
        {
            var failure = await LiveWebSocket.ConnectAsync(
                socket, uri, "mastodon", _options.ReadTimeout, Context.TimeProvider,
                status => MastodonRefusals.Describe(status, uri.Host, _options.AccessToken, ""),
                cancellationToken).ConfigureAwait(false);
            if (failure is { } refused)
            {
                return (null, refused);
            }

            var connection = new WebSocketConnection(socket, _options.MaxEventBytes);
            socket = null;
            return (connection, default);
        }
        finally
        {
            socket?.Dispose();
        }
    }

    protected override async ValueTask<(MastodonEvent? Payload, StreamFailure Failure)> NextAsync(WebSocketConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (length, type, failure) = await LiveWebSocket.ReceiveAsync(
                connection.Socket, connection.Buffer, "mastodon", _options.StreamingBase.Host, _options.ReadTimeout, Context.TimeProvider,
                cancellationToken).ConfigureAwait(false);
            if (failure is { } ended)
            {
                return (null, ended);
            }

            if (length < 0)
            {
                Context.Problems.Report("mastodon.oversized", $"skipped a message longer than {_options.MaxEventBytes} bytes");
                continue;
            }

            if (type != WebSocketMessageType.Text)
            {
                Context.Problems.Report("mastodon.binary", "skipped a binary message");
                continue;
            }

            if (Unwrap(connection.Buffer.AsMemory(0, length)) is { } streamEvent)
            {
                return (streamEvent, default);
            }
        }
    }

    private MastodonEvent? Unwrap(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                Context.Problems.Report("mastodon.stream-error", $"the stream sent an error ({error})");
                return null;
            }

            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("event", out var name) || name.ValueKind != JsonValueKind.String)
            {
                Context.Problems.Report("mastodon.no-event", "skipped a message without an event name");
                return null;
            }

            var payload = root.TryGetProperty("payload", out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText()
                : "";
            return new MastodonEvent(name.GetString() ?? "", payload);
        }
        catch (JsonException)
        {
            Context.Problems.Report("mastodon.not-json", "skipped a message that is not JSON");
            return null;
        }
    }
}
