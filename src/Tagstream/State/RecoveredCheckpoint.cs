
namespace Tagstream.State;

/// <summary>The state of the last committed batch, as recovered from a checkpoint folder.</summary>
/// <param name="Batch">The last committed batch, or 0 when the folder held no checkpoint.</param>
/// <param name="Position">The source position stored with that batch: reading resumes right after it. Null when none.</param>
/// <param name="Counters">The running figures stored with that batch.</param>
/// <param name="Totals">Every hashtag's total (UTF-8 key) after that batch; load it with the counter's recovery method.</param>
/// <param name="Messages">
/// One line for each damaged or discarded file and what recovery did about it (for example "batch 12's delta fails its
/// checksum: recovering batch 11"); empty when everything was whole.
/// </param>
/// <param name="RecentBatches">
/// The increments of the last batches up to <paramref name="Batch"/>, oldest first and without a gap:
/// <see cref="CheckpointStoreOptions.WindowBatches"/> of them, or fewer when the folder holds fewer (the first batches,
/// a damaged delta, or deltas compacted away before the window's length was asked for). Empty when none were asked for.
/// </param>
public sealed record RecoveredCheckpoint(
    long Batch,
    SourcePosition? Position,
    CheckpointCounters Counters,
    IReadOnlyDictionary<byte[], long> Totals,
    IReadOnlyList<string> Messages,
    IReadOnlyList<RecoveredBatch> RecentBatches);
