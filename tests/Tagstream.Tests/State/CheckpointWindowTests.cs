using System.Text;
using Tagstream.State;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.State;

/// <summary>Recovery of the last batches' increments (<see cref="RecoveredCheckpoint.RecentBatches"/>) for the sliding window.</summary>
public sealed class CheckpointWindowTests
{
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Open_RandomBatchesReopenedAnywhere_RecentBatchesAreTheLastIncrements(int seed)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, 60);
        var interval = random.Next(1, 6);
        var options = new CheckpointStoreOptions
        {
            SnapshotInterval = interval,

            // Small: deltas as large as the state also trigger snapshots, more often than the interval.
            MinimumSnapshotEntries = random.Next(2) == 0 ? 8 : 100_000,
            CompactInBackground = false,
            WindowBatches = random.Next(1, 16),
        };
        var k = options.WindowBatches;
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var increments = new List<Dictionary<string, long>>();
        using var folder = new TempDirectory();
        var store = CheckpointStore.Open(folder.Path, out _, options);
        try
        {
            for (long batch = 1; batch <= 70; batch++)
            {
                var commit = store.BeginBatch(batch);
                var added = RandomBatch(random, vocabulary);
                foreach (var (tag, increment) in added)
                {
                    totals[tag] = totals.GetValueOrDefault(tag) + increment;
                    commit.Add(Encoding.UTF8.GetBytes(tag), totals[tag]);
                }

                increments.Add(added);
                commit.Commit(null, default);

                // Retention stays bounded by the window (about 2k + 2 intervals of deltas) and needs at most 4 snapshots.
                var files = Directory.GetFiles(folder.Path);
                Assert.InRange(files.Count(f => f.EndsWith(".delta", StringComparison.Ordinal)), 1, (2 * (k + interval)) + 1);
                Assert.InRange(files.Count(f => f.EndsWith(".snapshot", StringComparison.Ordinal)), 0, 4);

                if (random.Next(4) == 0)
                {
                    store.Dispose();
                    store = CheckpointStore.Open(folder.Path, out var recovered, options);
                    Assert.Empty(recovered.Messages);
                    Assert.Equal(batch, recovered.Batch);
                    AssertTotals(totals, recovered);
                    AssertRecent(increments, batch, (int)Math.Min(k, batch), recovered);
                }
            }
        }
        finally
        {
            store.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Open_RandomDeltaDamaged_RecoversAnExactBatchWithItsExactIncrements(int seed)
    {
        var random = new Random(seed);
        var options = new CheckpointStoreOptions
        {
            SnapshotInterval = random.Next(1, 6),
            CompactInBackground = false,
            WindowBatches = random.Next(1, 12),
        };
        var k = options.WindowBatches;
        using var folder = new TempDirectory();
        var increments = WriteBatches(folder.Path, options, 40, seed);
        var deltas = Directory.GetFiles(folder.Path, "*.delta").Order(StringComparer.Ordinal).ToList();
        var damaged = deltas[random.Next(deltas.Count)];
        var d = long.Parse(Path.GetFileNameWithoutExtension(damaged), System.Globalization.CultureInfo.InvariantCulture);
        Corrupt(folder.Path, d);

        using var store = CheckpointStore.Open(folder.Path, out var recovered, options);

        // Either a later snapshot skips the damaged delta (or the chain never needed it): the last batch; or it ends the
        // chain: the batch before it, then with its whole window. Whatever is recovered is exact.
        AssertTotals(Totals(increments.Take((int)recovered.Batch)), recovered);
        if (recovered.Batch < 40)
        {
            Assert.Equal(d - 1, recovered.Batch);
            Assert.Contains(recovered.Messages, m => m.Contains($"batch {d} counts as never committed", StringComparison.Ordinal));
            AssertRecent(increments, d - 1, (int)Math.Min(k, d - 1), recovered);
        }
        else
        {
            AssertRecent(increments, 40, recovered.RecentBatches.Count, recovered);
            Assert.True(recovered.RecentBatches.Count == k || recovered.Messages.Any(m => m.Contains("skipped, snapshot", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Open_NoWindowAsked_RecentBatchesEmpty()
    {
        using var folder = new TempDirectory();
        var options = new CheckpointStoreOptions { SnapshotInterval = 2, CompactInBackground = false };
        var increments = WriteBatches(folder.Path, options, 9, seed: 3);

        using var store = CheckpointStore.Open(folder.Path, out var recovered, options);
        Assert.Equal(9, recovered.Batch);
        Assert.Empty(recovered.RecentBatches);
        Assert.Equal(9, increments.Count);
    }

    [Fact]
    public void Open_WindowLongerThanCompactedHistory_RecoversWhatRemainsAndTheFullWindowAfterwards()
    {
        // Written without a window: compaction kept only the previous snapshot (6) and the deltas after it.
        using var folder = new TempDirectory();
        var withoutWindow = new CheckpointStoreOptions { SnapshotInterval = 3, CompactInBackground = false };
        var increments = WriteBatches(folder.Path, withoutWindow, 10, seed: 5);

        var withWindow = withoutWindow with { WindowBatches = 6 };
        using (var store = CheckpointStore.Open(folder.Path, out var recovered, withWindow))
        {
            Assert.Equal(10, recovered.Batch);
            AssertRecent(increments, 10, 4, recovered);
            Assert.Empty(recovered.Messages);
        }

        increments.AddRange(WriteBatches(folder.Path, withWindow, 6, seed: 6, firstBatch: 11, totals: Totals(increments)));
        using (var store = CheckpointStore.Open(folder.Path, out var recovered, withWindow))
        {
            Assert.Equal(16, recovered.Batch);
            AssertRecent(increments, 16, 6, recovered);
        }
    }

    [Fact]
    public void Open_DamagedDeltaAfterNewestSnapshot_RecoversEarlierBatchWithItsWholeWindow()
    {
        using var folder = new TempDirectory();
        var options = new CheckpointStoreOptions { SnapshotInterval = 3, CompactInBackground = false, WindowBatches = 8 };
        var increments = WriteBatches(folder.Path, options, 20, seed: 7);
        Corrupt(folder.Path, 20);

        using var store = CheckpointStore.Open(folder.Path, out var recovered, options);

        Assert.Equal(19, recovered.Batch);
        AssertTotals(Totals(increments.Take(19)), recovered);
        AssertRecent(increments, 19, 8, recovered);
        Assert.Contains(recovered.Messages, m => m.Contains("batch 20 counts as never committed; recovering batch 19", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(folder.Path, $"{20:D19}.delta.discarded")));
    }

    [Fact]
    public void Open_DamagedDeltaInsideWindowBeforeNewestSnapshot_KeepsNewestTotalsAndThePartialWindow()
    {
        // Snapshots at 9, 12, 15 and 18, the window's base for batch 20 being 12; batch 16's delta, inside the window, is damaged.
        using var folder = new TempDirectory();
        var options = new CheckpointStoreOptions { SnapshotInterval = 3, CompactInBackground = false, WindowBatches = 8 };
        var increments = WriteBatches(folder.Path, options, 20, seed: 8);
        Corrupt(folder.Path, 16);

        using var store = CheckpointStore.Open(folder.Path, out var recovered, options);

        // The totals come from snapshot 18, which does not need batch 16's delta; the window holds what follows it.
        Assert.Equal(20, recovered.Batch);
        AssertTotals(Totals(increments), recovered);
        AssertRecent(increments, 20, 2, recovered);
        Assert.Contains(recovered.Messages, m => m.Contains($"{16:D19}.delta fails its checksum", StringComparison.Ordinal) && m.Contains("skipped, snapshot 18 follows it", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_DamagedWindowBaseSnapshot_FallsBackToANewerSnapshot()
    {
        using var folder = new TempDirectory();
        var options = new CheckpointStoreOptions { SnapshotInterval = 3, CompactInBackground = false, WindowBatches = 8 };
        var increments = WriteBatches(folder.Path, options, 20, seed: 9);
        var bases = Directory.GetFiles(folder.Path, "*.snapshot").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([$"{9:D19}.snapshot", $"{12:D19}.snapshot", $"{15:D19}.snapshot", $"{18:D19}.snapshot"], bases);
        var windowBase = Path.Combine(folder.Path, $"{12:D19}.snapshot");
        File.WriteAllBytes(windowBase, File.ReadAllBytes(windowBase)[..^3]);

        using var store = CheckpointStore.Open(folder.Path, out var recovered, options);

        // 12 is the newest snapshot at or before 20 - 8; without it, 9 still serves (its deltas are kept).
        Assert.Equal(20, recovered.Batch);
        AssertTotals(Totals(increments), recovered);
        AssertRecent(increments, 20, 8, recovered);
        Assert.Contains(recovered.Messages, m => m.Contains($"{12:D19}.snapshot", StringComparison.Ordinal));
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    private static Dictionary<string, long> RandomBatch(Random random, string[] vocabulary)
    {
        var batch = new Dictionary<string, long>(StringComparer.Ordinal);
        if (random.Next(6) == 0)
        {
            return batch;
        }

        foreach (var tag in vocabulary.Where(_ => random.Next(5) == 0))
        {
            batch[tag] = random.Next(1, 50);
        }

        return batch;
    }

    private static List<Dictionary<string, long>> WriteBatches(string directory, CheckpointStoreOptions options, int count, int seed, long firstBatch = 1, Dictionary<string, long>? totals = null)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, 30);
        totals ??= new Dictionary<string, long>(StringComparer.Ordinal);
        var increments = new List<Dictionary<string, long>>();
        using var store = CheckpointStore.Open(directory, out _, options);
        for (var batch = firstBatch; batch < firstBatch + count; batch++)
        {
            var commit = store.BeginBatch(batch);
            var added = RandomBatch(random, vocabulary);
            foreach (var (tag, increment) in added)
            {
                totals[tag] = totals.GetValueOrDefault(tag) + increment;
                commit.Add(Encoding.UTF8.GetBytes(tag), totals[tag]);
            }

            increments.Add(added);
            commit.Commit(null, default);
        }

        return increments;
    }

    private static Dictionary<string, long> Totals(IEnumerable<Dictionary<string, long>> increments)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var batch in increments)
        {
            foreach (var (tag, increment) in batch)
            {
                totals[tag] = totals.GetValueOrDefault(tag) + increment;
            }
        }

        return totals;
    }

    private static void Corrupt(string directory, long batch)
    {
        var path = Path.Combine(directory, $"{batch:D19}.delta");
        var bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0x40;
        File.WriteAllBytes(path, bytes);
    }

    private static void AssertRecent(List<Dictionary<string, long>> increments, long batch, int count, RecoveredCheckpoint recovered)
    {
        Assert.Equal(Enumerable.Range((int)(batch - count + 1), count).Select(b => (long)b), recovered.RecentBatches.Select(b => b.Batch));
        foreach (var recent in recovered.RecentBatches)
        {
            var actual = recent.Increments.ToDictionary(p => Encoding.UTF8.GetString(p.Key), p => p.Value, StringComparer.Ordinal);
            Assert.Equal(recent.Increments.Count, actual.Count);
            Assert.Equal(increments[(int)recent.Batch - 1].OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }

    private static void AssertTotals(Dictionary<string, long> expected, RecoveredCheckpoint recovered)
    {
        var actual = recovered.Totals.ToDictionary(p => Encoding.UTF8.GetString(p.Key), p => p.Value, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
