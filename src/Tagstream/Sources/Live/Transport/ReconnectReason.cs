namespace Tagstream.Sources.Live.Transport;

/// <summary>Why a live connection is being re-opened; each reason has its own back-off schedule.</summary>
internal enum ReconnectReason
{
    /// <summary>A network-level failure: refused, reset, timed out, closed by the server, an idle stream.</summary>
    Network,

    /// <summary>An HTTP error status other than a rate limit (5xx, 408).</summary>
    Http,

    /// <summary>A rate limit (HTTP 429 or 420) or too many connections.</summary>
    RateLimited,
}
