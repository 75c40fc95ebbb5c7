
namespace Tagstream.State;

/// <summary>
/// One batch being committed: add the new total of every hashtag that changed in the batch, then
/// <see cref="Commit"/>. Nothing is visible to recovery until <see cref="Commit"/> returns.
/// </summary>
public sealed class CheckpointBatch
{
    private readonly CheckpointStore _store;
    private readonly EntryBuffer _entries;
    private EntryBuffer? _snapshot;
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
    /// Whether the store follows this batch with a snapshot (all totals). A caller that holds every total may then give
    /// them with <see cref="AddEncodedToSnapshot"/> before committing, which spares the store rebuilding the snapshot
    /// from its files in the background. Stays the same until the commit.
    /// </summary>
    internal bool SnapshotDue => !_committed && _store.IsSnapshotDue(Batch, _entries.Count);

    /// <summary>Records entries encoded elsewhere (for example one buffer per counting shard, filled at the same time).</summary>
    internal void AddEncoded(EntryBuffer entries)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _entries.Append(entries);
    }

    /// <summary>
    /// Records entries of the snapshot that is due (every hashtag's total after this batch, each once), encoded
    /// elsewhere; refused while <see cref="SnapshotDue"/> is false.
    /// </summary>
    internal void AddEncodedToSnapshot(EntryBuffer entries)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (_snapshot is null)
        {
            if (!SnapshotDue)
            {
                throw new InvalidOperationException($"No snapshot is due with batch {Batch}.");
            }

            _snapshot = _store.TakeSnapshotBuffer();
        }

        _snapshot.Append(entries);
    }

    /// <summary>
    /// Makes the batch durable: writes the delta file to a temporary name, fsyncs it, renames it into place and fsyncs the
    /// folder. When this returns, a crash recovers this batch; if it throws or the process dies first, recovery gives the
    /// previous batch.
    /// </summary>
    /// <param name="position">The source position reached at the end of the batch, or null when the source cannot resume.</param>
    /// <param name="counters">The running figures after the batch.</param>
    public void Commit(SourcePosition? position, CheckpointCounters counters) =>
        CommitAsync(position, counters, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Like <see cref="Commit"/>, but returns at once: the file is written and fsync'ed on the thread pool after the
    /// previous batch's, while the caller counts the next batch. The task completes when the batch is durable; only then
    /// may the source be told that its input up to <paramref name="position"/> can be forgotten. If it fails or is
    /// canceled, no later batch is committed either (their tasks fail too); reopen the store to recover.
    /// </summary>
    /// <param name="position">The source position reached at the end of the batch, or null when the source cannot resume.</param>
    /// <param name="counters">The running figures after the batch.</param>
    /// <param name="cancellationToken">Cancels the commit if it has not started writing.</param>
    public Task CommitAsync(SourcePosition? position, CheckpointCounters counters, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _committed = true;
        return _store.CommitAsync(this, _entries, _snapshot, position, counters, cancellationToken);
    }
}
