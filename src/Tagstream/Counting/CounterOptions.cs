namespace Tagstream.Counting;

/// <summary>Settings of a <see cref="HashtagCounter"/>.</summary>
public sealed class CounterOptions
{
    /// <summary>The largest number of workers (threads and shards) a counter accepts.</summary>
    public const int MaxWorkers = 64;

    /// <summary>The largest <see cref="TopCapacity"/> a counter accepts.</summary>
    public const int MaxTopCapacity = 1_000_000;

    private readonly int _workers = Math.Min(2, Environment.ProcessorCount);
    private readonly int _topCapacity = 1000;

    /// <summary>
    /// Threads that count, from 1 to <see cref="MaxWorkers"/>; the state is split into as many shards by a stable
    /// hash of the hashtag (see <see cref="HashtagSharding"/>). Defaults to 2, or 1 on a single-core machine.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1..<see cref="MaxWorkers"/>.</exception>
    public int Workers
    {
        get => _workers;
        init => _workers = value is >= 1 and <= MaxWorkers
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Workers), value, $"Workers must be between 1 and {MaxWorkers}, got {value}.");
    }

    /// <summary>
    /// The largest n that <see cref="HashtagCounter.Top(int)"/> serves, from 1 to <see cref="MaxTopCapacity"/>;
    /// the counter keeps this many leaders up to date after every batch. Defaults to 1000.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1..<see cref="MaxTopCapacity"/>.</exception>
    public int TopCapacity
    {
        get => _topCapacity;
        init => _topCapacity = value is >= 1 and <= MaxTopCapacity
            ? value
            : throw new ArgumentOutOfRangeException(nameof(TopCapacity), value, $"TopCapacity must be between 1 and {MaxTopCapacity}, got {value}.");
    }
}
