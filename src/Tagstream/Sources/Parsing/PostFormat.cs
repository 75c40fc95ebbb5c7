namespace Tagstream.Sources.Parsing;

/// <summary>The recorded and piped formats that <see cref="PostRecordReader"/> reads.</summary>
public enum PostFormat
{
    /// <summary>Detect the format from the first records (see <see cref="PostFormatDetector"/>).</summary>
    Auto,

    /// <summary>Tagstream protocol lines: the hashtags of one post per line (<c>protocol</c>).</summary>
    Protocol,

    /// <summary>X API v2 filtered-stream NDJSON (<c>x</c>).</summary>
    XApiV2,

    /// <summary>Legacy Twitter v1.1 status JSON lines (<c>v11</c>).</summary>
    TwitterV11,

    /// <summary>Bluesky Jetstream events, one per line (<c>jetstream</c>).</summary>
    Jetstream,

    /// <summary>A Mastodon streaming Server-Sent Events body (<c>mastodon-sse</c>).</summary>
    MastodonSse,

    /// <summary>Mastodon streaming WebSocket messages, one per line (<c>mastodon-ws</c>).</summary>
    MastodonWebSocket,

    /// <summary>One raw post text per line (<c>text</c>).</summary>
    Text,

    /// <summary>One JSON string per line holding a raw post text (<c>jsonl-text</c>).</summary>
    JsonlText,
}
