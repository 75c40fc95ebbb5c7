
namespace Tagstream.State;

/// <summary>
/// Rebuilds the totals of the newest batch that can be rebuilt exactly: a whole snapshot (or nothing, when the deltas
/// start at batch 1), then the whole deltas that follow it without a gap. A damaged file ends the chain there (that batch
/// counts as never committed); it never contributes an entry. With a window, the chain starts at a snapshot at or before
/// the window, so that each delta in the window gives its batch's increments (new total minus the total before).
/// </summary>
internal static class CheckpointLoader
{
    /// <param name="directory">The folder.</param>
    /// <param name="folder">Its files.</param>
    /// <param name="upToBatch">The newest batch to rebuild.</param>
    /// <param name="windowBatches">How many of the newest batches to rebuild as increments; 0 for none.</param>
    /// <param name="messages">Receives a line per damaged file.</param>
    /// <param name="deltaEntries">The entries of the deltas after the newest snapshot: what a new snapshot would save.</param>
    public static RecoveredCheckpoint Load(string directory, CheckpointFolder folder, long upToBatch, int windowBatches, List<string> messages, out long deltaEntries)
    {
        // The newest batch the file names promise: the newest snapshot and the deltas that follow it without a gap.
        var end = folder.Snapshots.Where(s => s <= upToBatch).DefaultIfEmpty(0).Max();
        while (end < upToBatch && folder.Deltas.Contains(end + 1))
        {
            end++;
        }

        // A damaged delta ends a chain early. If a later snapshot skips it, the totals must come from that snapshot (as new
        // as possible) and the window holds only what follows it; if not, the chain's end is final, and the window ending
        // there may need an older base than the one chosen for the end the names promised.
        Chain? best = null;
        long floor = -1;
        while (LoadChain(directory, folder, Bases(folder, floor, end - windowBatches, upToBatch), upToBatch, windowBatches, messages) is { } chain)
        {
            if (best is null || chain.Batch > best.Batch || (chain.Batch == best.Batch && chain.Recent.Count > best.Recent.Count))
            {
                if (best is not null && chain.Batch > best.Batch)
                {
                    messages.Add($"Checkpoint delta {best.Damage}: skipped, snapshot {chain.Base} follows it.");
                }

                best = chain;
            }

            if (chain.Damage is null)
            {
                break;
            }

            if (folder.Snapshots.Any(s => s > chain.Batch && s <= upToBatch))
            {
                floor = chain.Batch;
            }
            else if (end > chain.Batch && chain.Recent.Count < Math.Min(windowBatches, chain.Batch) && HasBase(folder, floor, chain.Batch - windowBatches))
            {
                end = chain.Batch;
            }
            else
            {
                break;
            }
        }

        if (best is null)
        {
            throw new CheckpointException(
                $"Checkpoint folder {directory} has no whole snapshot and its first deltas were compacted away, so its totals " +
                "cannot be rebuilt exactly. Move the folder away to start from zero, or run with --no-checkpoint.");
        }

        if (best.Damage is not null)
        {
            messages.Add($"Checkpoint delta {best.Damage}: batch {best.Batch + 1} counts as never committed; recovering batch {best.Batch}.");
        }

        var lastSnapshot = folder.Snapshots.Where(s => s <= best.Batch).DefaultIfEmpty(0).Max();
        deltaEntries = best.Applied.Where(d => d.Batch > lastSnapshot).Sum(d => d.Entries);
        return new RecoveredCheckpoint(best.Batch, best.Position, best.Counters, best.Totals, messages, [.. best.Recent]);
    }

    /// <summary>
    /// Where a chain may start, best first: snapshots at or before the window (newest first: fewest deltas to apply), then
    /// nothing (batch 0) when the deltas start at batch 1, then the snapshots inside the window, oldest first (the window
    /// is then partial, and holds the most batches from the oldest). Without a window this is the newest snapshot first,
    /// then batch 0, as every snapshot is at or before the window's start.
    /// </summary>
    private static IEnumerable<long> Bases(CheckpointFolder folder, long floor, long windowStart, long upToBatch)
    {
        foreach (var snapshot in folder.Snapshots.Reverse().Where(s => s > floor && s <= Math.Min(windowStart, upToBatch)))
        {
            yield return snapshot;
        }

        if (floor < 0 && (folder.Deltas.Contains(1) || (folder.Deltas.Count == 0 && folder.Snapshots.Count == 0)))
        {
            yield return 0;
        }

        foreach (var snapshot in folder.Snapshots.Where(s => s > Math.Max(floor, windowStart) && s <= upToBatch))
        {
            yield return snapshot;
        }
    }

    private static bool HasBase(CheckpointFolder folder, long floor, long atOrBefore) =>
        folder.Snapshots.Any(s => s > floor && s <= atOrBefore) || (floor < 0 && folder.Deltas.Contains(1));

    /// <returns>The chain from the first base that loads, or null when none does.</returns>
    private static Chain? LoadChain(string directory, CheckpointFolder folder, IEnumerable<long> bases, long upToBatch, int windowBatches, List<string> messages)
    {
        foreach (var start in bases)
        {
            var chain = new Chain(start);
            if (start > 0)
            {
                try
                {
                    var lookup = chain.Totals.GetAlternateLookup<ReadOnlySpan<byte>>();
                    var header = CheckpointFile.Read(Path.Combine(directory, CheckpointFile.FileName(CheckpointFileKind.Snapshot, start)), CheckpointFileKind.Snapshot, start, (hashtag, total) => lookup[hashtag] = total);
                    (chain.Batch, chain.Position, chain.Counters) = (start, header.Position, header.Counters);
                }
                catch (CheckpointFormatException e)
                {
                    var message = $"Checkpoint snapshot {e.Message}: recovering without it.";
                    if (!messages.Contains(message))
                    {
                        messages.Add(message);
                    }

                    continue;
                }
            }

            chain.ApplyDeltas(directory, folder, upToBatch, windowBatches);
            return chain;
        }

        return null;
    }

    /// <summary>The state a base and the whole deltas after it rebuild.</summary>
    private sealed class Chain(long start)
    {
        public long Base { get; } = start;

        public long Batch { get; set; }

        public SourcePosition? Position { get; set; }

        public CheckpointCounters Counters { get; set; }

        public Dictionary<byte[], long> Totals { get; } = new(Utf8KeyComparer.Instance);

        /// <summary>The increments of the newest batches applied, at most the window's length.</summary>
        public Queue<RecoveredBatch> Recent { get; } = new();

        public List<(long Batch, long Entries)> Applied { get; } = [];

        /// <summary>Why the delta after <see cref="Batch"/> could not be applied, or null when the chain ran to its end.</summary>
        public string? Damage { get; private set; }

        public void ApplyDeltas(string directory, CheckpointFolder folder, long upToBatch, int windowBatches)
        {
            var lookup = Totals.GetAlternateLookup<ReadOnlySpan<byte>>();
            while (Batch < upToBatch && folder.Deltas.Contains(Batch + 1))
            {
                var batch = Batch + 1;
                var increments = windowBatches > 0 ? new List<KeyValuePair<byte[], long>>() : null;
                void Apply(ReadOnlySpan<byte> hashtag, long total)
                {
                    if (increments is null)
                    {
                        lookup[hashtag] = total;
                        return;
                    }

                    if (!lookup.TryGetValue(hashtag, out var key, out var before))
                    {
                        key = hashtag.ToArray();
                        before = 0;
                    }

                    Totals[key] = total;

                    // Totals only grow; an entry that did not grow adds nothing to the window. The key is shared with the
                    // totals, so an increment costs one reference and one number.
                    if (total > before)
                    {
                        increments.Add(new(key, total - before));
                    }
                }

                CheckpointFileHeader header;
                try
                {
                    header = CheckpointFile.Read(Path.Combine(directory, CheckpointFile.FileName(CheckpointFileKind.Delta, batch)), CheckpointFileKind.Delta, batch, Apply);
                }
                catch (CheckpointFormatException e)
                {
                    Damage = e.Message;
                    return;
                }

                (Batch, Position, Counters) = (batch, header.Position, header.Counters);
                Applied.Add((batch, header.EntryCount));
                if (increments is not null)
                {
                    if (Recent.Count == windowBatches)
                    {
                        Recent.Dequeue();
                    }

                    Recent.Enqueue(new RecoveredBatch(batch, increments));
                }
            }
        }
    }
}
