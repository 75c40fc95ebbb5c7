using System.Net.WebSockets;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live.Bluesky;

/// <summary>
/// Bluesky Jetstream as a sequence of raw events, resuming with <c>cursor</c> after every reconnect so that no event
/// is lost, and dropping re-sent events (<c>time_us</c> at or before the last one delivered) so that none is doubled.
/// </summary>
/// <remarks>https://github.com/bluesky-social/jetstream#consuming-jetstream</remarks>
internal sealed class JetstreamStream : ReconnectingStream<WebSocketConnection, JetstreamFrame>
{
    private readonly JetstreamOptions _options;

    public JetstreamStream(JetstreamOptions options, LiveSourceContext context)
        : base(context)
    {
        _options = options;
        LastTimeUs = options.Cursor;
        Host = options.Url.Host;
    }

    /// <summary>The host events come from: the run of the source's positions (cursors are per host).</summary>
    public string Host { get; }

    /// <summary>The <c>time_us</c> of the last event delivered, or the starting cursor.</summary>
    public long? LastTimeUs { get; private set; }

    /// <summary>The subscription address for the next connection, with the cursor to resume from.</summary>
    internal Uri SubscribeUri()
    {
        var builder = new UriBuilder(_options.Url);
        if (builder.Path is "" or "/")
        {
            builder.Path = "/subscribe";
        }

        var query = builder.Query.TrimStart('?');
        query += (query.Length > 0 ? "&" : "") + "wantedCollections=app.bsky.feed.post";
        if (LastTimeUs is { } cursor)
        {
            query += $"&cursor={cursor}";
        }

        builder.Query = query;
        return builder.Uri;
    }

    protected override async Task<(WebSocketConnection? Connection, StreamFailure Failure)> OpenAsync(CancellationToken cancellationToken)
    {
        var socket = LiveWebSocket.Create(_options.IdleTimeout);
        try
        {
            var failure = await LiveWebSocket.ConnectAsync(
                socket, SubscribeUri(), "bluesky", _options.ConnectTimeout, Context.TimeProvider,
                status => $"bluesky: {Host} refused the subscription (HTTP {(int)status} {status}); check --jetstream-url.",
                cancellationToken).ConfigureAwait(false);
            if (failure is { } refused)
            {
                return (null, refused);
            }

            var connection = new WebSocketConnection(socket, _options.MaxMessageBytes);
            socket = null;
            return (connection, default);
        }
        finally
        {
            socket?.Dispose();
        }
    }

    protected override async ValueTask<(JetstreamFrame? Payload, StreamFailure Failure)> NextAsync(WebSocketConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (length, type, failure) = await LiveWebSocket.ReceiveAsync(
                connection.Socket, connection.Buffer, "bluesky", Host, _options.IdleTimeout, Context.TimeProvider, cancellationToken).ConfigureAwait(false);
            if (failure is { } ended)
            {
                return (null, ended);
            }

            if (length < 0)
            {
                Context.Problems.Report("bluesky.oversized", $"skipped a message longer than {_options.MaxMessageBytes} bytes");
                continue;
            }

            if (type != WebSocketMessageType.Text)
            {
                Context.Problems.Report("bluesky.binary", "skipped a binary message (compressed streams are not asked for)");
                continue;
            }

            var json = connection.Buffer.AsSpan(0, length);
            if (!JetstreamEnvelope.TryRead(json, out var timeUs, out var kind))
            {
                Context.Problems.Report("bluesky.malformed", "skipped a message that is not a Jetstream event (malformed JSON or no time_us)");
                continue;
            }

            if (timeUs <= LastTimeUs)
            {
                continue; // Re-sent after a resume with cursor: already delivered.
            }

            LastTimeUs = timeUs;
            return (new JetstreamFrame(json.ToArray(), timeUs, kind), default);
        }
    }
}
