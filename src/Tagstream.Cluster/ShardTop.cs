namespace Tagstream.Cluster;

/// <summary>A shard's state right after it applied (or had already applied) a batch: its size and its top hashtags.</summary>
/// <param name="DistinctTags">Hashtags the shard holds.</param>
/// <param name="Hashtags">Its top hashtags in UTF-8, best first (total descending, then bytes ascending).</param>
/// <param name="Totals">Their totals, in the same order.</param>
[GenerateSerializer]
[Immutable]
internal sealed record ShardTop(
    [property: Id(0)] long DistinctTags,
    [property: Id(1)] byte[][] Hashtags,
    [property: Id(2)] long[] Totals);
