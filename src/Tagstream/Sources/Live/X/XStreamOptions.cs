using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live.X;

/// <summary>Settings of the X API v2 filtered stream source.</summary>
public sealed record XStreamOptions
{
    /// <summary>The app-only bearer token (from <c>X_BEARER_TOKEN</c>).</summary>
    public required SecretToken BearerToken { get; init; }

    /// <summary>The search terms, joined with OR into one rule; at least one is needed (X rules need a standalone operator).</summary>
    public required IReadOnlyList<string> Terms { get; init; }

    /// <summary>A language code for the rule's <c>lang:</c> operator, or null for every language.</summary>
    public string? Language { get; init; }

    /// <summary>The API's base address; tests point it at a loopback server.</summary>
    public Uri BaseUrl { get; init; } = new("https://api.x.com/");

    /// <summary>
    /// How long the stream may stay silent before it is considered dead. X sends a keep-alive about every 20 s and
    /// advises reconnecting when nothing arrived for 30 s (https://docs.x.com/x-api/fundamentals/consuming-streaming-data).
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Also delete the app's stream rules that Tagstream did not create (they would add their posts to the stream).</summary>
    public bool RemoveOtherRules { get; init; }

    /// <summary>A record longer than this many bytes is skipped and reported.</summary>
    public int MaxRecordBytes { get; init; } = 4 * 1024 * 1024;
}
