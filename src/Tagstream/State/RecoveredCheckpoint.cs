namespace Tagstream.State;

/// <summary>The state of the last committed batch, as recovered from a checkpoint folder.</summary>
public sealed class RecoveredCheckpoint
{
    internal RecoveredCheckpoint(
        long batch,
        SourcePosition? position,
        CheckpointCounters counters,
        IReadOnlyDictionary<byte[], long> totals,
        IReadOnlyList<string> messages,
        IReadOnlyList<RecoveredBatch> recentBatches)
    {
        Batch = batch;
        Position = position;
        Counters = counters;
        Totals = totals;
        Messages = messages;
        RecentBatches = recentBatches;
    }

    /// <summary>The last committed batch, or 0 when the folder held no checkpoint.</summary>
    public long Batch { get; }

    /// <summary>The source position stored with that batch: reading resumes right after it. Null when none.</summary>
    public SourcePosition? Position { get; }

    /// <summary>The posts counted up to that batch.</summary>
    public long Posts => Counters.Posts;

    /// <summary>The hashtag occurrences counted up to that batch.</summary>
    public long Tags => Counters.Tags;

    /// <summary>The malformed tokens skipped up to that batch.</summary>
    public long Malformed => Counters.Malformed;

    /// <summary>Every hashtag's total (UTF-8 key, compared by bytes) after that batch.</summary>
    public IReadOnlyDictionary<byte[], long> Totals { get; }

    /// <summary>
    /// One line for each damaged or discarded file and what recovery did about it (for example "batch 12's delta fails
    /// its checksum: recovering batch 11"); empty when everything was whole.
    /// </summary>
    public IReadOnlyList<string> Messages { get; }

    /// <summary>The running figures stored with that batch.</summary>
    internal CheckpointCounters Counters { get; }

    /// <summary>
    /// The increments of the last batches up to <see cref="Batch"/>, oldest first and without a gap:
    /// <see cref="CheckpointStoreOptions.WindowBatches"/> of them, or fewer when the folder holds fewer (the first
    /// batches, a damaged delta, or deltas compacted away before the window's length was asked for). Empty when none
    /// were asked for.
    /// </summary>
    internal IReadOnlyList<RecoveredBatch> RecentBatches { get; }
}
