namespace Tagstream.State;

/// <summary>
/// Writes a snapshot of a committed batch, either with entries its caller holds (<see cref="Store"/>: the job's counter) or
/// rebuilt from the files alone (<see cref="Compact"/>: the previous snapshot plus the deltas after it, so it can run on a
/// background thread without touching a live counting table), then removes the files that two snapshots
/// make unnecessary: it keeps the previous snapshot and every delta after it, so a damaged new snapshot still recovers
/// exactly, and, with a window of k batches, the newest snapshot at or before batch - k and every delta after it, so that
/// recovery at any later batch can rebuild the window's increments.
/// </summary>
internal sealed class CheckpointCompactor(string directory, int windowBatches)
{
    /// <returns>The entries of the new snapshot: the number of hashtags in the state.</returns>
    public long Compact(long batch)
    {
        var folder = CheckpointFolder.List(directory);
        var messages = new List<string>();
        var state = CheckpointLoader.Load(directory, folder, batch, windowBatches: 0, messages, out _);
        if (state.Batch != batch)
        {
            throw new CheckpointException($"batch {batch} could not be rebuilt from the files ({string.Join(" ", messages)})");
        }

        var entries = new EntryBuffer();
        foreach (var (hashtag, total) in state.Totals)
        {
            entries.Add(hashtag, total);
        }

        return WriteAndRemoveReplaced(new CheckpointFileHeader(CheckpointFileKind.Snapshot, batch, entries.Count, state.Position, state.Counters), entries, folder);
    }

    /// <summary>Writes a snapshot whose entries the caller already holds (every total after its batch), then removes the files it replaces.</summary>
    /// <returns>The entries of the new snapshot.</returns>
    public long Store(CheckpointFileHeader header, EntryBuffer entries) => WriteAndRemoveReplaced(header, entries, CheckpointFolder.List(directory));

    private long WriteAndRemoveReplaced(CheckpointFileHeader header, EntryBuffer entries, CheckpointFolder folder)
    {
        var batch = header.Batch;
        CheckpointFile.WriteAtomically(directory, header, entries.Written);

        var previous = folder.Snapshots.Where(s => s < batch).DefaultIfEmpty(0).Max();

        // The window's base: 0 when no snapshot is that old yet (the window then still needs every delta from batch 1).
        // The first snapshot after it is kept too, to become the next base once the window has passed it; without it,
        // when snapshots come more often than every k / 2 batches, no kept snapshot would ever be old enough to replace
        // the base and deltas would pile up. So the base stays within about 2k + 2 snapshot intervals of the newest batch.
        var snapshots = folder.Snapshots.Append(batch).ToList();
        var windowBase = windowBatches == 0 ? batch : snapshots.Where(s => s <= batch - windowBatches).DefaultIfEmpty(0).Max();
        var nextBase = snapshots.Where(s => s > windowBase).DefaultIfEmpty(batch).Min();
        foreach (var old in folder.Snapshots.Where(s => s < batch && s != previous && s != windowBase && s != nextBase))
        {
            File.Delete(Path.Combine(directory, CheckpointFile.FileName(CheckpointFileKind.Snapshot, old)));
        }

        var keepFrom = Math.Min(previous, windowBase);
        foreach (var old in folder.Deltas.Where(d => d <= keepFrom))
        {
            File.Delete(Path.Combine(directory, CheckpointFile.FileName(CheckpointFileKind.Delta, old)));
        }

        return entries.Count;
    }
}
