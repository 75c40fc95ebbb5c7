namespace Tagstream.State;

/// <summary>How a <see cref="CheckpointStore"/> compacts its deltas.</summary>
public sealed record CheckpointStoreOptions
{
    /// <summary>
    /// A snapshot (all totals) is written after this many batches' deltas, and files older than the previous snapshot are
    /// removed; like Spark's <c>spark.sql.streaming.stateStore.minDeltasForSnapshot</c>. The default is 50.
    /// </summary>
    public int SnapshotInterval { get; init; } = 50;

    /// <summary>
    /// A snapshot is also written as soon as the deltas since the last one hold twice as many entries as the state has
    /// hashtags (and at least this many; the default is 100 000): when most hashtags change in every batch, as at full
    /// speed, recovery then reads at most about one snapshot plus two snapshots' worth of deltas, instead of
    /// <see cref="SnapshotInterval"/> near-full deltas.
    /// </summary>
    public long MinimumSnapshotEntries { get; init; } = 100_000;

    /// <summary>
    /// True (the default) to write snapshots on a background thread (from the files, unless the committer gave the
    /// entries), so that a commit never waits for one; false to write them inside the commit that triggers them (tests
    /// use this to be deterministic).
    /// </summary>
    public bool CompactInBackground { get; init; } = true;

    /// <summary>
    /// How many of the newest batches recovery rebuilds as increments (<see cref="RecoveredCheckpoint.RecentBatches"/>),
    /// for a sliding window of that many batches; 0 (the default) when only the totals are needed. Compaction then also
    /// keeps the newest snapshot at or before the last this many batches and every delta after it, so the folder holds
    /// this many deltas more than without a window (docs/checkpoints.md).
    /// </summary>
    public int WindowBatches { get; init; }

    /// <summary>
    /// The identity of the source the batches are counted from (for example its address, or a replay file's path); null
    /// for none. The folder records it before its first batch and refuses, with a <see cref="CheckpointSourceException"/>,
    /// to be continued by another source.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>Discard every batch the folder holds and start from nothing.</summary>
    public bool Fresh { get; init; }

    /// <summary>Receives a line when a background compaction fails (the deltas stay, so recovery remains exact).</summary>
    public Action<string>? Warning { get; init; }
}
