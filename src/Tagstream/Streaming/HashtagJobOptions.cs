using System.Globalization;
using Tagstream.Counting;

namespace Tagstream.Streaming;

/// <summary>How a <see cref="HashtagJob"/> batches and ranks.</summary>
public sealed record HashtagJobOptions
{
    /// <summary>The batch interval: a batch closes, and the outputs update, this often. The original used 10 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many hashtags each batch's ranking holds.</summary>
    public int Top { get; init; } = 20;

    /// <summary>Counting threads; the state is split into as many shards.</summary>
    public int Workers { get; init; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>The clock for batch times and intervals.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the options and returns the first problem as one sentence, or null when they are valid.</summary>
    public string? Validate() =>
        Interval < TimeSpan.FromMilliseconds(10) || Interval > TimeSpan.FromDays(1)
            ? string.Create(CultureInfo.InvariantCulture, $"The interval must be between 10 ms and 1 day, not {Interval}.")
        : Top is < 1 or > CounterOptions.MaxTopCapacity
            ? string.Create(CultureInfo.InvariantCulture, $"The ranking size must be between 1 and {CounterOptions.MaxTopCapacity}, not {Top}.")
        : Workers is < 1 or > CounterOptions.MaxWorkers
            ? string.Create(CultureInfo.InvariantCulture, $"Workers must be between 1 and {CounterOptions.MaxWorkers}, not {Workers}.")
        : null;
}
