namespace Tagstream.Sources.Live.Bluesky;

/// <summary>Settings of the Bluesky Jetstream source (https://github.com/bluesky-social/jetstream).</summary>
public sealed record JetstreamOptions
{
    /// <summary>The public Jetstream host the feed uses unless told otherwise.</summary>
    public static readonly Uri DefaultUrl = new("wss://jetstream2.us-east.bsky.network/subscribe");

    /// <summary>The Jetstream endpoint; a bare host gets the <c>/subscribe</c> path. Tests point it at a loopback server.</summary>
    public Uri Url { get; init; } = DefaultUrl;

    /// <summary>The terms a post must match (one of its hashtags, or a whole word of its text, ignoring case); none keeps every post.</summary>
    public IReadOnlyList<string> Terms { get; init; } = [];

    /// <summary>Keep only posts in this language (BCP 47 primary tag such as <c>en</c>, which also keeps <c>en-US</c>), or null for all.</summary>
    public string? Language { get; init; }

    /// <summary>
    /// Resume after this <c>time_us</c> (for example from a checkpoint's position); events at or before it are not
    /// delivered again. Null starts at the live tip.
    /// </summary>
    public long? Cursor { get; init; }

    /// <summary>
    /// How long the socket may go without a message before it is considered dead and re-opened. Jetstream pings every
    /// 30 s (answered below the application) and, with posts wanted, sends dozens of events a second.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the WebSocket handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A message longer than this many bytes is skipped and reported.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;
}
