
namespace Tagstream.State;

/// <summary>
/// Durable, exact checkpoints of the hashtag totals: one delta file per batch with the new totals of the hashtags that
/// changed (work proportional to the change), and every <see cref="CheckpointStoreOptions.SnapshotInterval"/> batches a
/// snapshot (given by the committer, or compacted from the files), after which files older than the previous snapshot (and than the window of
/// <see cref="CheckpointStoreOptions.WindowBatches"/>, when one is kept) are removed. The layout follows
/// Spark's HDFSBackedStateStoreProvider; the format is in docs/checkpoints.md.
/// </summary>
/// <remarks>Commits are made by one thread at a time, in batch order. A folder is used by one process at a time.</remarks>
public sealed class CheckpointStore : IDisposable
{
    private const string LockFileName = "LOCK";

    // A snapshot is due once the deltas since the last one hold this many times the state's entries: recovery then reads
    // at most about three states' worth of entries, while at full speed (every hashtag changes in every batch) a
    // snapshot comes every other batch, not every batch.
    private const int DeltaEntriesPerSnapshot = 2;

    private readonly CheckpointStoreOptions _options;
    private readonly FileStream _lock;

    // Two buffers, so that a batch can be encoded while the previous one is still being written and fsync'ed.
    private readonly EntryBuffer[] _buffers = [new(), new()];
    private readonly Task[] _bufferWrites = [Task.CompletedTask, Task.CompletedTask];

    // The entries of a snapshot its caller supplies; free again once the compaction that writes it has completed.
    private readonly EntryBuffer _snapshot = new();
    private readonly object _compactionGate = new();
    private long _lastSnapshotStarted;
    private long _entriesSinceSnapshot;

    // The largest delta since the last snapshot: a lower bound of the state's size before any snapshot says it.
    private long _largestDelta;
    private long _stateEntries;
    private long _lastBegun;
    private long _lastBatch;
    private Task _writing = Task.CompletedTask;
    private Task _compaction = Task.CompletedTask;
    private CheckpointBatch? _open;

    private CheckpointStore(string directory, FileStream folderLock, CheckpointStoreOptions options, long lastBatch, long lastSnapshot, long stateEntries, long entriesSinceSnapshot)
    {
        _stateEntries = stateEntries;
        _entriesSinceSnapshot = entriesSinceSnapshot;
        Directory = directory;
        _lock = folderLock;
        _options = options;
        _lastBatch = lastBatch;
        _lastBegun = lastBatch;
        _lastSnapshotStarted = lastSnapshot;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Directory { get; }

    /// <summary>The last batch made durable (0 before the first); a commit still being written is not counted.</summary>
    public long LastBatch => Interlocked.Read(ref _lastBatch);

    /// <summary>
    /// Opens (creating it if needed) a checkpoint folder, locks it against other processes and recovers the last
    /// committed batch. Damaged files are renamed to <c>*.discarded</c> and reported in
    /// <see cref="RecoveredCheckpoint.Messages"/>; leftovers of an interrupted write are deleted.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="recovered">
    /// The state of the last committed batch, with the increments of the last <see cref="CheckpointStoreOptions.WindowBatches"/>
    /// batches that the folder still holds.
    /// </param>
    /// <param name="options">Compaction settings; the defaults when null.</param>
    /// <exception cref="CheckpointException">
    /// The folder is in use, written by another format version, or cannot be rebuilt exactly; the message is for the user.
    /// </exception>
    public static CheckpointStore Open(string directory, out RecoveredCheckpoint recovered, CheckpointStoreOptions? options = null)
    {
        options ??= new CheckpointStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SnapshotInterval, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.WindowBatches, nameof(options));
        directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory);
        FileStream folderLock;
        try
        {
            folderLock = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new CheckpointException($"Checkpoint folder {directory} is in use by another Tagstream process.", e);
        }

        try
        {
            var folder = CheckpointFolder.List(directory);
            foreach (var temporary in folder.Temporaries)
            {
                File.Delete(temporary);
            }

            var messages = new List<string>();
            var state = CheckpointLoader.Load(directory, folder, long.MaxValue, options.WindowBatches, messages, out var deltaEntries);
            Discard(directory, folder, state.Batch, messages);
            var lastSnapshot = folder.Snapshots.Where(s => s <= state.Batch).DefaultIfEmpty(0).Max();
            recovered = state;
            return new CheckpointStore(directory, folderLock, options, state.Batch, lastSnapshot, state.Totals.Count, deltaEntries);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the commit of the next batch. While the previous batch's commit may still be writing, this one can be filled;
    /// it waits only if the commit two batches back has not finished (the writes lag by more than a batch).
    /// </summary>
    /// <param name="batch">The batch id: the previous batch begun (or recovered) + 1, so a batch is applied at most once.</param>
    public CheckpointBatch BeginBatch(long batch)
    {
        if (batch != _lastBegun + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The next batch to commit is {_lastBegun + 1}.");
        }

        if (_open is not null)
        {
            throw new InvalidOperationException($"Batch {_open.Batch} is still being filled.");
        }

        // Failures of that write surface from the task its caller got and from every later commit.
        var buffer = (int)(batch & 1);
        WaitQuietly(_bufferWrites[buffer]);
        _buffers[buffer].Clear();
        _lastBegun = batch;
        _open = new CheckpointBatch(this, _buffers[buffer], batch);
        return _open;
    }

    /// <summary>Writes a snapshot of <see cref="LastBatch"/> now, on the calling thread, and removes the files it replaces.</summary>
    public void Compact()
    {
        WaitForCompaction();
        WaitQuietly(_writing);
        lock (_compactionGate)
        {
            _lastSnapshotStarted = LastBatch;
            _entriesSinceSnapshot = 0;
        }

        Interlocked.Exchange(ref _stateEntries, new CheckpointCompactor(Directory, _options.WindowBatches).Compact(LastBatch));
    }

    /// <summary>Waits for the commits in flight and a background compaction, then releases the folder.</summary>
    public void Dispose()
    {
        WaitQuietly(_writing);
        WaitForCompaction();
        _lock.Dispose();
    }

    /// <summary>
    /// Whether the commit of <paramref name="batch"/>, with <paramref name="entries"/> changed hashtags, will be followed by a
    /// snapshot: after <see cref="CheckpointStoreOptions.SnapshotInterval"/> batches, or once the deltas since the last
    /// snapshot hold twice as many entries as the state, and never while the previous snapshot is still being written. Decided
    /// on the committing thread only, so that it stays true until that commit.
    /// </summary>
    internal bool IsSnapshotDue(long batch, long entries)
    {
        lock (_compactionGate)
        {
            if (!_compaction.IsCompleted)
            {
                return false;
            }
        }

        var state = Math.Max(Interlocked.Read(ref _stateEntries), Math.Max(_largestDelta, entries));
        return batch - _lastSnapshotStarted >= _options.SnapshotInterval
            || _entriesSinceSnapshot + entries >= Math.Max(DeltaEntriesPerSnapshot * state, _options.MinimumSnapshotEntries);
    }

    /// <summary>The buffer for the entries of a snapshot the caller supplies, emptied; only while one is due.</summary>
    internal EntryBuffer TakeSnapshotBuffer()
    {
        _snapshot.Clear();
        return _snapshot;
    }

    internal Task CommitAsync(CheckpointBatch batch, EntryBuffer entries, EntryBuffer? snapshot, SourcePosition? position, CheckpointCounters counters, CancellationToken cancellationToken)
    {
        _open = null;
        var due = IsSnapshotDue(batch.Batch, entries.Count);
        if (snapshot is not null && !due)
        {
            throw new InvalidOperationException($"Batch {batch.Batch} was given a snapshot that was not due.");
        }

        var header = new CheckpointFileHeader(CheckpointFileKind.Delta, batch.Batch, entries.Count, position, counters);
        var written = WriteAfterAsync(_writing, header, entries, cancellationToken);
        _entriesSinceSnapshot += entries.Count;
        _largestDelta = Math.Max(_largestDelta, entries.Count);
        if (due)
        {
            _lastSnapshotStarted = batch.Batch;
            _entriesSinceSnapshot = 0;
            _largestDelta = 0;
            var compaction = CompactAfterAsync(written, header, snapshot);
            lock (_compactionGate)
            {
                _compaction = compaction;
            }

            if (!_options.CompactInBackground)
            {
                written = compaction;
            }
        }

        _writing = written;
        _bufferWrites[batch.Batch & 1] = written;
        return written;
    }

    private static void WaitQuietly(Task task) => ((IAsyncResult)task).AsyncWaitHandle.WaitOne();

    /// <summary>Writes a delta once the previous one is durable: deltas land in batch order, and none follows a failed one.</summary>
    private async Task WriteAfterAsync(Task previous, CheckpointFileHeader header, EntryBuffer entries, CancellationToken cancellationToken)
    {
        await previous.ConfigureAwait(false);
        await Task.Run(() => CheckpointFile.WriteAtomically(Directory, header, entries.Written), cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastBatch, header.Batch);
    }

    /// <summary>
    /// Once the delta of <paramref name="delta"/>'s batch is durable, writes that batch's snapshot (the caller's entries, or
    /// else rebuilt from the files) and removes the files it replaces. Never after a failed delta.
    /// </summary>
    private async Task CompactAfterAsync(Task written, CheckpointFileHeader delta, EntryBuffer? snapshot)
    {
        // Always off the committing thread. A failed delta means no snapshot; in the background the commit's own task
        // reports the failure, inside the commit this task is the commit's and must fail too.
        await written.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        if (!written.IsCompletedSuccessfully)
        {
            if (!_options.CompactInBackground)
            {
                await written.ConfigureAwait(false);
            }

            return;
        }

        var compactor = new CheckpointCompactor(Directory, _options.WindowBatches);
        try
        {
            var entries = snapshot is null
                ? compactor.Compact(delta.Batch)
                : compactor.Store(delta with { Kind = CheckpointFileKind.Snapshot, EntryCount = snapshot.Count }, snapshot);
            Interlocked.Exchange(ref _stateEntries, entries);
        }
        catch (Exception e) when (_options.CompactInBackground && e is IOException or UnauthorizedAccessException or CheckpointException)
        {
            _options.Warning?.Invoke($"Checkpoint compaction at batch {delta.Batch} failed ({e.Message}); the deltas are kept, recovery stays exact.");
        }
    }

    private void WaitForCompaction()
    {
        Task compaction;
        lock (_compactionGate)
        {
            compaction = _compaction;
        }

        // Its failures were reported already: as a warning in the background, or by the commit it belonged to.
        WaitQuietly(compaction);
    }

    private static void Discard(string directory, CheckpointFolder folder, long recoveredBatch, List<string> messages)
    {
        // Files past the recovered batch (after a damaged one) must not be mixed with the batches committed from now on.
        var stale = folder.Deltas.Where(b => b > recoveredBatch).Select(b => CheckpointFile.FileName(CheckpointFileKind.Delta, b))
            .Concat(folder.Snapshots.Where(b => b > recoveredBatch).Select(b => CheckpointFile.FileName(CheckpointFileKind.Snapshot, b)))
            .ToList();
        foreach (var name in stale)
        {
            File.Move(Path.Combine(directory, name), Path.Combine(directory, name + ".discarded"), overwrite: true);
        }

        if (stale.Count > 0)
        {
            messages.Add($"Checkpoint: {stale.Count} file(s) after batch {recoveredBatch} renamed to *.discarded ({string.Join(", ", stale)}).");
        }
    }
}
