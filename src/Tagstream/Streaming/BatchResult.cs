using Tagstream.Query;

namespace Tagstream.Streaming;

/// <summary>What one closed batch produced: its figures and the rankings after it.</summary>
/// <remarks>Properties are set by name, so a new figure is a new optional property that breaks no caller.</remarks>
public sealed record BatchResult
{
    /// <summary>The batch id: 1 for the first batch, continuing after a recovered checkpoint's.</summary>
    public required long Batch { get; init; }

    /// <summary>When the batch closed (processing time), in UTC.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The name of the source being counted.</summary>
    public required string Source { get; init; }

    /// <summary>Posts (lines) counted in this batch.</summary>
    public required long Posts { get; init; }

    /// <summary>Hashtag occurrences counted in this batch.</summary>
    public required long Tags { get; init; }

    /// <summary>Posts counted since the start (or since the checkpoint recovered from).</summary>
    public required long TotalPosts { get; init; }

    /// <summary>Hashtag occurrences counted since the start.</summary>
    public required long TotalTags { get; init; }

    /// <summary>Malformed input seen since the start: skipped tokens and over-long lines.</summary>
    public required long Malformed { get; init; }

    /// <summary>Distinct hashtags counted since the start (with <see cref="HashtagJobOptions.MaxTags"/>: those in the summary).</summary>
    public required long DistinctTags { get; init; }

    /// <summary>
    /// The all-time ranking: total descending, then hashtag ascending by UTF-8 bytes; or the rows of the
    /// <see cref="HashtagJobOptions.Sql"/> query when it returns (text, number) rows.
    /// </summary>
    public required IReadOnlyList<HashtagCount> Top { get; init; }

    /// <summary>The sliding window's ranking, when the job has a window.</summary>
    public IReadOnlyList<HashtagCount>? Window { get; init; }

    /// <summary>The trending ranking, when the job computes one.</summary>
    public IReadOnlyList<TrendingHashtag>? Trending { get; init; }

    /// <summary>The <see cref="HashtagJobOptions.Sql"/> query's result after this batch, when the job has a query.</summary>
    public SqlQueryResult? Sql { get; init; }

    /// <summary>True with <see cref="HashtagJobOptions.MaxTags"/>: totals are upper bounds, each with its error bound.</summary>
    public bool Approximate { get; init; }

    /// <summary>How long closing the batch took: folding, ranking, querying and committing.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>How long the checkpoint commit of the previous batch took to become durable, when checkpointing.</summary>
    public TimeSpan? CheckpointDuration { get; init; }
}
