using Tagstream.Sources;

namespace Tagstream.State;

/// <summary>
/// One batch being committed: add the new total of every hashtag that changed in the batch, then
/// <see cref="Commit"/>. Nothing is visible to recovery until <see cref="Commit"/> returns.
/// </summary>
public sealed class CheckpointBatch
{
    private readonly CheckpointStore _store;
    private readonly EntryBuffer _entries;
    private bool _committed;

    internal CheckpointBatch(CheckpointStore store, EntryBuffer entries, long batch)
    {
        _store = store;
        _entries = entries;
        Batch = batch;
    }

    /// <summary>The batch id this commit stores.</summary>
    public long Batch { get; }

    /// <summary>Hashtags added so far.</summary>
    public long Count => _entries.Count;

    /// <summary>Records a hashtag's total after this batch. Each changed hashtag is added once.</summary>
    /// <param name="hashtag">The hashtag in UTF-8, without <c>#</c>.</param>
    /// <param name="total">Its total after the batch (not the batch's delta: applying a total twice is harmless).</param>
    public void Add(ReadOnlySpan<byte> hashtag, long total)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _entries.Add(hashtag, total);
    }

    /// <summary>
    /// Makes the batch durable: writes the delta file to a temporary name, fsyncs it, renames it into place and fsyncs the
    /// folder. When this returns, a crash recovers this batch; if it throws or the process dies first, recovery gives the
    /// previous batch.
    /// </summary>
    /// <param name="position">The source position reached at the end of the batch, or null when the source cannot resume.</param>
    /// <param name="counters">The running figures after the batch.</param>
    public void Commit(SourcePosition? position, CheckpointCounters counters)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _committed = true;
        _store.Commit(this, _entries, position, counters);
    }
}
