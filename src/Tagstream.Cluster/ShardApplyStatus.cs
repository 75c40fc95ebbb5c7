namespace Tagstream.Cluster;

/// <summary>What the store did with a shard's batch.</summary>
internal enum ShardApplyStatus
{
    /// <summary>Applied now, once, with the shard's totals.</summary>
    Applied,

    /// <summary>Applied before (a batch delivered again after a failure): nothing changed.</summary>
    Duplicate,

    /// <summary>Refused: a newer activation of the shard holds the epoch; this writer is stale.</summary>
    Fenced,
}
