namespace Tagstream.Sources;

/// <summary>
/// Paces a source at a fixed number of posts per second. It counts from the first call, so a source that was
/// held back (no client, a slow consumer) catches up in one larger chunk instead of drifting behind for good.
/// </summary>
internal sealed class RatePacer
{
    private readonly double _rate;
    private readonly TimeProvider _timeProvider;
    private long _startTimestamp = -1;
    private long _emitted;

    public RatePacer(double rate, TimeProvider timeProvider)
    {
        _rate = rate;
        _timeProvider = timeProvider;
    }

    /// <summary>Waits until at least one post is due, then says how many are.</summary>
    public async ValueTask<long> PostsDueAsync(CancellationToken cancellationToken)
    {
        if (_startTimestamp < 0)
        {
            _startTimestamp = _timeProvider.GetTimestamp();
        }

        while (true)
        {
            double elapsed = _timeProvider.GetElapsedTime(_startTimestamp).TotalSeconds;
            long due = (long)(elapsed * _rate) - _emitted;
            if (due > 0)
            {
                return due;
            }

            double wait = ((_emitted + 1) / _rate) - elapsed;
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(wait, 0.001)), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records posts sent.</summary>
    public void Emitted(long posts) => _emitted += posts;
}
