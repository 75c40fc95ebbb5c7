using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live.Mastodon;

/// <summary>Settings of the Mastodon streaming source (https://docs.joinmastodon.org/methods/streaming/).</summary>
public sealed record MastodonOptions
{
    /// <summary>The instance, for example <c>https://mastodon.social</c>.</summary>
    public required Uri InstanceUrl { get; init; }

    /// <summary>
    /// Where the instance serves its streaming API when it is not the instance's own address (see the instance's
    /// <c>configuration.urls.streaming</c>); null uses <see cref="InstanceUrl"/>.
    /// </summary>
    public Uri? StreamingUrl { get; init; }

    /// <summary>A user access token with the <c>read:statuses</c> scope (from <c>MASTODON_TOKEN</c>); every streaming endpoint needs one since Mastodon 4.2.</summary>
    public required SecretToken AccessToken { get; init; }

    /// <summary>
    /// The terms. One term reads that hashtag's stream; none or several read the public stream, which the source
    /// filters by the terms.
    /// </summary>
    public IReadOnlyList<string> Terms { get; init; } = [];

    /// <summary>Keep only statuses in this language (such as <c>en</c>), or null for all.</summary>
    public string? Language { get; init; }

    /// <summary>Server-Sent Events or the WebSocket API.</summary>
    public MastodonTransport Transport { get; init; } = MastodonTransport.ServerSentEvents;

    /// <summary>How long the stream may stay silent before it is re-opened; Mastodon sends a heartbeat every 15 s.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>An event longer than this many bytes is skipped and reported.</summary>
    public int MaxEventBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>The hashtag whose stream is read, without <c>#</c>, or null for the public stream.</summary>
    internal string? HashtagStream => Terms.Count == 1 ? Terms[0].Trim().TrimStart('#', '＃') : null;

    internal Uri StreamingBase => StreamingUrl ?? InstanceUrl;
}
