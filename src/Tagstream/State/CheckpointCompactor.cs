namespace Tagstream.State;

/// <summary>
/// Writes a snapshot of a committed batch from the files alone (the previous snapshot plus the deltas after it), so it
/// can run on a background thread without touching the live counting table, then removes the files that two snapshots
/// make unnecessary: it keeps the previous snapshot and every delta after it, so a damaged new snapshot still recovers
/// exactly.
/// </summary>
internal sealed class CheckpointCompactor(string directory)
{
    /// <returns>The entries of the new snapshot: the number of hashtags in the state.</returns>
    public long Compact(long batch)
    {
        var folder = CheckpointFolder.List(directory);
        var messages = new List<string>();
        var state = CheckpointLoader.Load(directory, folder, batch, messages, out _);
        if (state.Batch != batch)
        {
            throw new CheckpointException($"batch {batch} could not be rebuilt from the files ({string.Join(" ", messages)})");
        }

        var entries = new EntryBuffer();
        foreach (var (hashtag, total) in state.Totals)
        {
            entries.Add(hashtag, total);
        }

        var header = new CheckpointFileHeader(CheckpointFileKind.Snapshot, batch, entries.Count, state.Position, state.Counters);
        CheckpointFile.WriteAtomically(directory, header, entries.Written);

        var previous = folder.Snapshots.Where(s => s < batch).DefaultIfEmpty(0).Max();
        foreach (var old in folder.Snapshots.Where(s => s < previous))
        {
            File.Delete(Path.Combine(directory, CheckpointFile.FileName(CheckpointFileKind.Snapshot, old)));
        }

        foreach (var old in folder.Deltas.Where(d => d <= previous))
        {
            File.Delete(Path.Combine(directory, CheckpointFile.FileName(CheckpointFileKind.Delta, old)));
        }

        return entries.Count;
    }
}
