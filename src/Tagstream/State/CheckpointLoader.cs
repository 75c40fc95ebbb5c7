using Tagstream.Counting;
using Tagstream.Sources;

namespace Tagstream.State;

/// <summary>
/// Rebuilds the totals of the newest batch that can be rebuilt exactly: the newest whole snapshot, then the whole
/// deltas that follow it without a gap. A damaged file ends the chain there (that batch counts as never committed);
/// it never contributes an entry.
/// </summary>
internal static class CheckpointLoader
{
    /// <param name="directory">The folder.</param>
    /// <param name="folder">Its files.</param>
    /// <param name="upToBatch">The newest batch to rebuild.</param>
    /// <param name="messages">Receives a line per damaged file.</param>
    /// <param name="deltaEntries">The entries of the deltas applied after the snapshot: what a new snapshot would save.</param>
    public static RecoveredCheckpoint Load(string directory, CheckpointFolder folder, long upToBatch, List<string> messages, out long deltaEntries)
    {
        deltaEntries = 0;
        var totals = new Dictionary<byte[], long>(Utf8KeyComparer.Instance);
        var lookup = totals.GetAlternateLookup<ReadOnlySpan<byte>>();
        void Set(ReadOnlySpan<byte> hashtag, long total) => lookup[hashtag] = total;

        long batch = 0;
        SourcePosition? position = null;
        var counters = default(CheckpointCounters);
        var loadedSnapshot = false;
        foreach (var snapshot in folder.Snapshots.Reverse().Where(s => s <= upToBatch))
        {
            try
            {
                var header = CheckpointFile.Read(Path.Combine(directory, CheckpointFile.FileName(CheckpointFileKind.Snapshot, snapshot)), CheckpointFileKind.Snapshot, snapshot, Set);
                (batch, position, counters, loadedSnapshot) = (snapshot, header.Position, header.Counters, true);
                break;
            }
            catch (CheckpointFormatException e)
            {
                messages.Add($"Checkpoint snapshot {e.Message}: trying an older snapshot.");
            }
        }

        if (!loadedSnapshot && (folder.Deltas.Count > 0 || folder.Snapshots.Count > 0) && !folder.Deltas.Contains(1))
        {
            throw new CheckpointException(
                $"Checkpoint folder {directory} has no whole snapshot and its first deltas were compacted away, so its totals " +
                "cannot be rebuilt exactly. Move the folder away to start from zero, or run with --no-checkpoint.");
        }

        while (batch < upToBatch && folder.Deltas.Contains(batch + 1))
        {
            try
            {
                var header = CheckpointFile.Read(Path.Combine(directory, CheckpointFile.FileName(CheckpointFileKind.Delta, batch + 1)), CheckpointFileKind.Delta, batch + 1, Set);
                (batch, position, counters) = (batch + 1, header.Position, header.Counters);
                deltaEntries += header.EntryCount;
            }
            catch (CheckpointFormatException e)
            {
                messages.Add($"Checkpoint delta {e.Message}: batch {batch + 1} counts as never committed; recovering batch {batch}.");
                break;
            }
        }

        return new RecoveredCheckpoint(batch, position, counters, totals, messages);
    }
}
