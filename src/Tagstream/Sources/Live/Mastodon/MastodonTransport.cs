namespace Tagstream.Sources.Live.Mastodon;

/// <summary>How the Mastodon source reads its stream.</summary>
public enum MastodonTransport
{
    /// <summary>Server-Sent Events: <c>GET /api/v1/streaming/hashtag?tag=...</c> or <c>/api/v1/streaming/public</c>.</summary>
    ServerSentEvents,

    /// <summary>The WebSocket API: <c>/api/v1/streaming?stream=hashtag&amp;tag=...</c> or <c>stream=public</c>.</summary>
    WebSocket,
}
