namespace Tagstream.Cluster;

/// <summary>
/// A batch that every shard has applied: its figures and the ranking after it, what <c>count</c> shows, and where the
/// input stands after it, where the ingest continues.
/// </summary>
/// <param name="Batch">The batch number, from 1.</param>
/// <param name="Time">When the batch closed, in UTC.</param>
/// <param name="Source">The input's name.</param>
/// <param name="Posts">Posts in the batch.</param>
/// <param name="Tags">Hashtag occurrences in the batch.</param>
/// <param name="TotalPosts">Posts since the job started.</param>
/// <param name="TotalTags">Hashtag occurrences since the job started.</param>
/// <param name="Malformed">Malformed tokens and skipped lines since the job started.</param>
/// <param name="DistinctTags">Distinct hashtags over all shards after the batch.</param>
/// <param name="Top">The ranking after the batch: total descending, then hashtag ascending by UTF-8 bytes.</param>
/// <param name="End">The input's position after the batch.</param>
/// <param name="Final">True when the input ended with this batch: the job is done.</param>
/// <param name="Changed">Distinct hashtags the batch changed: the entries sent to the shards and updated in Redis.</param>
/// <param name="ChangeBytes">Bytes of those entries as sent to the shards.</param>
internal sealed record CommittedBatch(
    long Batch,
    DateTimeOffset Time,
    string Source,
    long Posts,
    long Tags,
    long TotalPosts,
    long TotalTags,
    long Malformed,
    long DistinctTags,
    IReadOnlyList<RankedTag> Top,
    SourcePosition? End,
    bool Final,
    long Changed,
    long ChangeBytes);
