using Tagstream.Query;

namespace Tagstream.Streaming;

/// <summary>What one closed batch produced: its figures and the rankings after it.</summary>
/// <param name="Batch">The batch id: 1 for the first batch, continuing after a recovered checkpoint's.</param>
/// <param name="Time">When the batch closed (processing time), in UTC.</param>
/// <param name="Source">The name of the source being counted.</param>
/// <param name="Posts">Posts (lines) counted in this batch.</param>
/// <param name="Tags">Hashtag occurrences counted in this batch.</param>
/// <param name="TotalPosts">Posts counted since the start (or since the checkpoint recovered from).</param>
/// <param name="TotalTags">Hashtag occurrences counted since the start.</param>
/// <param name="Malformed">Malformed input seen since the start: skipped tokens and over-long lines.</param>
/// <param name="DistinctTags">Distinct hashtags counted since the start (with <c>--max-tags</c>: those in the summary).</param>
/// <param name="Top">
/// The all-time ranking: total descending, then hashtag ascending by UTF-8 bytes; or the rows of the
/// <c>--sql</c> query when it returns (text, number) rows.
/// </param>
/// <param name="Window">The sliding window's ranking, when the job has a window.</param>
/// <param name="Trending">The trending ranking, when the job computes one.</param>
/// <param name="Sql">The <c>--sql</c> query's result after this batch, when the job has a query.</param>
/// <param name="Approximate">True with <c>--max-tags</c>: totals are upper bounds, each with its error bound.</param>
/// <param name="Duration">How long closing the batch took: folding, ranking, querying and committing.</param>
/// <param name="CheckpointDuration">How long the checkpoint commit of the previous batch took to become durable, when checkpointing.</param>
public sealed record BatchResult(
    long Batch,
    DateTimeOffset Time,
    string Source,
    long Posts,
    long Tags,
    long TotalPosts,
    long TotalTags,
    long Malformed,
    long DistinctTags,
    IReadOnlyList<HashtagCount> Top,
    IReadOnlyList<HashtagCount>? Window = null,
    IReadOnlyList<TrendingHashtag>? Trending = null,
    SqlQueryResult? Sql = null,
    bool Approximate = false,
    TimeSpan Duration = default,
    TimeSpan? CheckpointDuration = null);
