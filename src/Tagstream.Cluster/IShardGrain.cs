namespace Tagstream.Cluster;

/// <summary>One shard of a job's totals, keyed <c>JOB/SHARD</c>.</summary>
internal interface IShardGrain : IGrainWithStringKey
{
    /// <summary>Applies a batch's changes at most once and returns the shard's top after it.</summary>
    /// <exception cref="ShardFencedException">This activation is stale: a newer one holds the shard (call again).</exception>
    Task<ShardTop> ApplyAsync(ShardChanges changes, int top);
}
