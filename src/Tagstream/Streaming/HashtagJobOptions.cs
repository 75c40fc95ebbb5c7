using System.Globalization;
using Tagstream.Counting;
using Tagstream.Counting.Windows;
using Tagstream.Query;

namespace Tagstream.Streaming;

/// <summary>How a <see cref="HashtagJob"/> batches, ranks, remembers and queries.</summary>
public sealed record HashtagJobOptions
{
    /// <summary>The batch interval: a batch closes, and the outputs update, this often. The original used 10 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many hashtags each batch's rankings hold.</summary>
    public int Top { get; init; } = 20;

    /// <summary>Counting threads; the state is split into as many shards.</summary>
    public int Workers { get; init; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>
    /// The checkpoint folder, or null for none. Each batch commits its changes, its id and the source position
    /// atomically; a job started on the folder recovers the last committed batch and resumes the source after it.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>The length of the sliding window (a multiple of <see cref="Interval"/>; the window slides by one batch), or null for none.</summary>
    public TimeSpan? Window { get; init; }

    /// <summary>Rank the window's hashtags whose rate rises most against their longer-term rate (needs <see cref="Window"/>).</summary>
    public bool Trending { get; init; }

    /// <summary>The trending score's parameters (docs/trending.md).</summary>
    public TrendingOptions TrendingOptions { get; init; } = new();

    /// <summary>
    /// A read-only SQL query run after every batch over <c>hashtags(hashtag, total)</c> and, with a window,
    /// <c>window_hashtags(hashtag, count)</c>; its result replaces the all-time ranking when it returns (text, number)
    /// rows. Null for the native ranking, which equals
    /// <c>select hashtag, total from hashtags order by total desc, hashtag asc limit N</c>.
    /// </summary>
    public string? Sql { get; init; }

    /// <summary>
    /// Count in bounded memory with a Space-Saving summary of this many counters instead of exactly: totals become
    /// upper bounds, each with its error bound. Null (the default) counts exactly.
    /// </summary>
    public int? MaxTags { get; init; }

    /// <summary>The clock for batch times and intervals.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the options and returns the first problem as one sentence, or null when they are valid.</summary>
    public string? Validate()
    {
        if (Interval < TimeSpan.FromMilliseconds(10) || Interval > TimeSpan.FromDays(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"The interval must be between 10 ms and 1 day, not {Interval}.");
        }

        if (Top is < 1 or > CounterOptions.MaxTopCapacity)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The ranking size must be between 1 and {CounterOptions.MaxTopCapacity}, not {Top}.");
        }

        if (Workers is < 1 or > CounterOptions.MaxWorkers)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Workers must be between 1 and {CounterOptions.MaxWorkers}, not {Workers}.");
        }

        if (Window is { } window && (window < Interval || window.Ticks % Interval.Ticks != 0 || window.Ticks / Interval.Ticks > 100_000))
        {
            return string.Create(CultureInfo.InvariantCulture, $"The window ({window}) must be a whole number of batch intervals ({Interval}), at most 100000 of them.");
        }

        if (Trending && Window is null)
        {
            return "HashtagJobOptions.Trending compares a window with the longer term: set HashtagJobOptions.Window too.";
        }

        if (MaxTags is { } maxTags && (maxTags < Top || maxTags > 100_000_000))
        {
            return string.Create(CultureInfo.InvariantCulture, $"HashtagJobOptions.MaxTags must be between the ranking size ({Top}) and 100000000, not {maxTags}.");
        }

        if (MaxTags is not null && (CheckpointDirectory is not null || Window is not null || Sql is not null))
        {
            return "HashtagJobOptions.MaxTags keeps only a bounded summary, so it cannot be combined with HashtagJobOptions.CheckpointDirectory, HashtagJobOptions.Window or HashtagJobOptions.Sql.";
        }

        return Sql is { } sql ? HashtagSqlMirror.Validate(sql, Window is not null) : null;
    }

    /// <summary>Batches in the window.</summary>
    internal int WindowBatches => Window is { } window ? (int)(window.Ticks / Interval.Ticks) : 0;
}
