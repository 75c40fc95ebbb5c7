namespace Tagstream.Sources.Live.Transport;

/// <summary>
/// The reconnect schedule X documents for its streams, used by every live source:
/// network errors back off linearly (+250 ms per attempt, up to 16 s), HTTP errors exponentially from 5 s (doubling,
/// up to 320 s), rate limits exponentially from 60 s (doubling).
/// </summary>
/// <remarks>
/// See https://docs.x.com/x-api/posts/filtered-stream/integrate/handling-disconnections.
/// X gives no ceiling for the rate-limit schedule; it stops doubling at 960 s (60 s × 2⁴) here, because a wait longer
/// than its 15-minute rate-limit window cannot help. A successful connection resets every schedule.
/// </remarks>
internal sealed class ReconnectBackoff
{
    internal static readonly TimeSpan NetworkStep = TimeSpan.FromMilliseconds(250);
    internal static readonly TimeSpan NetworkMax = TimeSpan.FromSeconds(16);
    internal static readonly TimeSpan HttpFirst = TimeSpan.FromSeconds(5);
    internal static readonly TimeSpan HttpMax = TimeSpan.FromSeconds(320);
    internal static readonly TimeSpan RateLimitFirst = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan RateLimitMax = TimeSpan.FromSeconds(960);

    private int _networkAttempts;
    private int _httpAttempts;
    private int _rateLimitAttempts;

    /// <summary>The delay before the next attempt after a failure of the given kind.</summary>
    public TimeSpan Next(ReconnectReason reason) => reason switch
    {
        ReconnectReason.Network => Min(NetworkStep * ++_networkAttempts, NetworkMax),
        ReconnectReason.Http => Doubled(HttpFirst, _httpAttempts++, HttpMax),
        ReconnectReason.RateLimited => Doubled(RateLimitFirst, _rateLimitAttempts++, RateLimitMax),
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>Starts every schedule afresh, after a connection succeeded.</summary>
    public void Reset()
    {
        _networkAttempts = 0;
        _httpAttempts = 0;
        _rateLimitAttempts = 0;
    }

    private static TimeSpan Doubled(TimeSpan first, int attempt, TimeSpan max) =>
        // Clamp the exponent so the multiplication cannot overflow on a very long outage.
        Min(first * Math.Pow(2, Math.Min(attempt, 16)), max);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
