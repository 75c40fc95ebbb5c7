using System.Text;
using Tagstream.State;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.State;

public sealed class CheckpointStoreTests
{
    private static readonly CheckpointStoreOptions Inline = new() { SnapshotInterval = 3, CompactInBackground = false };

    [Fact]
    public void Open_EmptyFolder_RecoversNothing()
    {
        using var folder = new TempDirectory();
        using var store = CheckpointStore.Open(folder.Path, out var recovered, Inline);

        Assert.Equal(0, recovered.Batch);
        Assert.Null(recovered.Position);
        Assert.Empty(recovered.Totals);
        Assert.Empty(recovered.Messages);
        Assert.Equal(0, store.LastBatch);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Commit_RandomBatchesReopenedAnywhere_RecoversExactState(int seed)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, 200);
        var reference = new Dictionary<string, long>(StringComparer.Ordinal);
        using var folder = new TempDirectory();
        var options = Inline with { SnapshotInterval = random.Next(1, 6) };
        var store = CheckpointStore.Open(folder.Path, out _, options);
        try
        {
            for (long batch = 1; batch <= 40; batch++)
            {
                var commit = store.BeginBatch(batch);
                foreach (var tag in vocabulary.Where(_ => random.Next(10) == 0).Distinct())
                {
                    reference[tag] = reference.GetValueOrDefault(tag) + random.Next(1, 1000);
                    commit.Add(Encoding.UTF8.GetBytes(tag), reference[tag]);
                }

                var position = random.Next(4) == 0 ? (SourcePosition?)null : new SourcePosition("run-é-" + seed, batch * 1000 - random.Next(2));
                var counters = new CheckpointCounters(batch * 7, reference.Values.Sum(), batch / 3);
                commit.Commit(position, counters);

                if (random.Next(5) == 0)
                {
                    store.Dispose();
                    store = CheckpointStore.Open(folder.Path, out var recovered, options);
                    Assert.Empty(recovered.Messages);
                    Assert.Equal(batch, recovered.Batch);
                    Assert.Equal(position, recovered.Position);
                    Assert.Equal(counters, recovered.Counters);
                    AssertTotals(reference, recovered);
                }
            }
        }
        finally
        {
            store.Dispose();
        }
    }

    [Fact]
    public void Commit_ManySnapshots_KeepsOnlyPreviousSnapshotAndLaterDeltas()
    {
        using var folder = new TempDirectory();
        using (var store = CheckpointStore.Open(folder.Path, out _, Inline))
        {
            for (long batch = 1; batch <= 10; batch++)
            {
                var commit = store.BeginBatch(batch);
                commit.Add("x"u8, batch);
                commit.Commit(null, default);
            }
        }

        // Snapshots at 3, 6, 9: the one at 9 keeps the previous snapshot (6) and the deltas after it, nothing older.
        var names = Directory.GetFiles(folder.Path).Select(p => Path.GetFileName(p)!).Where(n => n != "LOCK").Order(StringComparer.Ordinal).ToList();
        var expected = Enumerable.Range(7, 4).Select(b => $"{b:D19}.delta").Concat(["0000000000000000006.snapshot", "0000000000000000009.snapshot"]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, names);

        using var reopened = CheckpointStore.Open(folder.Path, out var recovered, Inline);
        Assert.Equal(10, recovered.Batch);
        Assert.Equal(10, recovered.Totals[Encoding.UTF8.GetBytes("x")]);
    }

    [Fact]
    public void Commit_DeltasAsLargeAsTheState_TriggerSnapshotBeforeTheInterval()
    {
        using var folder = new TempDirectory();
        var options = new CheckpointStoreOptions { SnapshotInterval = 1000, MinimumSnapshotEntries = 10, CompactInBackground = false };
        using (var store = CheckpointStore.Open(folder.Path, out _, options))
        {
            // 12 keys, each batch changing 6 of them: a snapshot once the deltas since the last reach twice the state
            // (at first the largest delta, 6; from the first snapshot on, its 12 entries), and at least 10 entries.
            for (long batch = 1; batch <= 8; batch++)
            {
                var commit = store.BeginBatch(batch);
                for (var k = 0; k < 6; k++)
                {
                    commit.Add(Encoding.UTF8.GetBytes("k" + ((batch * 6) + k) % 12), batch);
                }

                commit.Commit(null, default);
            }
        }

        // Snapshots at 2 (after 12 delta entries) and 6 (after 24); both are kept, with the deltas after 2.
        var files = Directory.GetFiles(folder.Path).Select(p => Path.GetFileName(p)!).Where(n => n != "LOCK").Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "0000000000000000002.snapshot", "0000000000000000003.delta", "0000000000000000004.delta", "0000000000000000005.delta",
                "0000000000000000006.delta", "0000000000000000006.snapshot", "0000000000000000007.delta", "0000000000000000008.delta",
            ],
            files);
        using var reopened = CheckpointStore.Open(folder.Path, out var recovered, options);
        Assert.Equal(12, recovered.Totals.Count);
        Assert.Equal(8, recovered.Totals[Encoding.UTF8.GetBytes("k0")]);
    }

    [Fact]
    public void Open_LastDeltaTruncatedAtEveryLength_RecoversPreviousBatchExactly()
    {
        using var folder = new TempDirectory();
        var (before, lastFile) = WriteThreeBatches(folder.Path, new CheckpointStoreOptions { SnapshotInterval = 2, CompactInBackground = false });
        var whole = File.ReadAllBytes(lastFile);

        for (var length = 0; length < whole.Length; length++)
        {
            File.WriteAllBytes(lastFile, whole.AsSpan(0, length).ToArray());
            using (var store = CheckpointStore.Open(folder.Path, out var recovered, Inline))
            {
                Assert.Equal(2, recovered.Batch);
                Assert.Equal(new SourcePosition("feed", 2), recovered.Position);
                AssertTotals(before, recovered);
                Assert.Contains(recovered.Messages, m => m.Contains("batch 3 counts as never committed", StringComparison.Ordinal));
            }

            File.Delete(lastFile + ".discarded");
        }
    }

    [Fact]
    public void Open_LastDeltaWithAnyByteFlipped_RecoversPreviousBatchExactly()
    {
        using var folder = new TempDirectory();
        var (before, lastFile) = WriteThreeBatches(folder.Path, new CheckpointStoreOptions { SnapshotInterval = 2, CompactInBackground = false });
        var whole = File.ReadAllBytes(lastFile);

        for (var i = 0; i < whole.Length; i++)
        {
            var damaged = whole.ToArray();
            damaged[i] ^= (byte)(1 << (i % 8));
            File.WriteAllBytes(lastFile, damaged);
            if (i is 4 or 5)
            {
                // The format version bytes: a file of another version is refused, never read as this one.
                var error = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(folder.Path, out _, Inline));
                Assert.Contains("format version", error.Message, StringComparison.Ordinal);
                continue;
            }

            using (var store = CheckpointStore.Open(folder.Path, out var recovered, Inline))
            {
                Assert.Equal(2, recovered.Batch);
                AssertTotals(before, recovered);
                Assert.NotEmpty(recovered.Messages);
            }

            File.Delete(lastFile + ".discarded");
        }
    }

    [Fact]
    public void Open_NewestSnapshotCorrupt_RecoversFromOlderSnapshotAndDeltas()
    {
        using var folder = new TempDirectory();
        var reference = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var store = CheckpointStore.Open(folder.Path, out _, Inline))
        {
            for (long batch = 1; batch <= 7; batch++)
            {
                var commit = store.BeginBatch(batch);
                foreach (var tag in new[] { "t" + batch, "common", "日本" })
                {
                    reference[tag] = reference.GetValueOrDefault(tag) + batch;
                    commit.Add(Encoding.UTF8.GetBytes(tag), reference[tag]);
                }

                commit.Commit(new SourcePosition("feed", batch), default);
            }
        }

        var newest = Path.Combine(folder.Path, "0000000000000000006.snapshot");
        var bytes = File.ReadAllBytes(newest);
        bytes[^20] ^= 0xFF;
        File.WriteAllBytes(newest, bytes);

        using var reopened = CheckpointStore.Open(folder.Path, out var recovered, Inline);
        Assert.Equal(7, recovered.Batch);
        AssertTotals(reference, recovered);
        Assert.Contains(recovered.Messages, m => m.Contains("recovering without it", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_NoWholeSnapshotAndFirstDeltasGone_RefusesWithClearMessage()
    {
        using var folder = new TempDirectory();
        using (var store = CheckpointStore.Open(folder.Path, out _, Inline))
        {
            for (long batch = 1; batch <= 10; batch++)
            {
                var commit = store.BeginBatch(batch);
                commit.Add("x"u8, batch);
                commit.Commit(null, default);
            }
        }

        foreach (var snapshot in Directory.GetFiles(folder.Path, "*.snapshot"))
        {
            File.WriteAllBytes(snapshot, [1, 2, 3]);
        }

        var error = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(folder.Path, out _, Inline));
        Assert.Contains("cannot be rebuilt exactly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LeftoverTemporaryFile_IsDeletedAndIgnored()
    {
        using var folder = new TempDirectory();
        var (_, lastFile) = WriteThreeBatches(folder.Path, Inline with { SnapshotInterval = 10 });
        var whole = File.ReadAllBytes(lastFile);
        File.Delete(lastFile);
        File.WriteAllBytes(lastFile + ".tmp", whole.AsSpan(0, whole.Length / 2).ToArray());

        using var store = CheckpointStore.Open(folder.Path, out var recovered, Inline);
        Assert.Equal(2, recovered.Batch);
        Assert.Empty(recovered.Messages);
        Assert.False(File.Exists(lastFile + ".tmp"));
    }

    [Fact]
    public void Open_FolderInUse_RefusesWithClearMessage()
    {
        using var folder = new TempDirectory();
        using var first = CheckpointStore.Open(folder.Path, out _, Inline);

        var error = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(folder.Path, out _, Inline));
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BeginBatch_NotTheNextBatch_Throws()
    {
        using var folder = new TempDirectory();
        using var store = CheckpointStore.Open(folder.Path, out _, Inline);
        store.BeginBatch(1).Commit(null, default);

        Assert.Throws<ArgumentOutOfRangeException>(() => store.BeginBatch(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.BeginBatch(3));
    }

    [Fact]
    public void Commit_BackgroundCompaction_RecoversExactly()
    {
        using var folder = new TempDirectory();
        var options = new CheckpointStoreOptions { SnapshotInterval = 2 };
        using (var store = CheckpointStore.Open(folder.Path, out _, options))
        {
            for (long batch = 1; batch <= 30; batch++)
            {
                var commit = store.BeginBatch(batch);
                commit.Add(Encoding.UTF8.GetBytes("k" + (batch % 4)), batch);
                commit.Commit(new SourcePosition("r", batch), new CheckpointCounters(batch, batch, 0));
            }
        }

        using var reopened = CheckpointStore.Open(folder.Path, out var recovered, options);
        Assert.Equal(30, recovered.Batch);
        Assert.Equal(new CheckpointCounters(30, 30, 0), recovered.Counters);
        Assert.Equal([27L, 28, 29, 30], Enumerable.Range(0, 4).Select(k => recovered.Totals[Encoding.UTF8.GetBytes("k" + ((k + 3) % 4))]));
    }

    [Fact]
    public async Task CommitAsync_PipelinedBatches_AllDurableInOrder()
    {
        using var folder = new TempDirectory();
        var reference = new Dictionary<string, long>(StringComparer.Ordinal);
        var commits = new List<Task>();
        using (var store = CheckpointStore.Open(folder.Path, out _, Inline))
        {
            for (long batch = 1; batch <= 25; batch++)
            {
                var commit = store.BeginBatch(batch);
                foreach (var tag in new[] { "p" + (batch % 7), "🙂" })
                {
                    reference[tag] = reference.GetValueOrDefault(tag) + batch;
                    commit.Add(Encoding.UTF8.GetBytes(tag), reference[tag]);
                }

                commits.Add(commit.CommitAsync(new SourcePosition("feed", batch), new CheckpointCounters(batch, 0, 0), TestContext.Current.CancellationToken));
            }

            await Task.WhenAll(commits);
            Assert.Equal(25, store.LastBatch);
        }

        using var reopened = CheckpointStore.Open(folder.Path, out var recovered, Inline);
        Assert.Equal(25, recovered.Batch);
        Assert.Equal(new SourcePosition("feed", 25), recovered.Position);
        AssertTotals(reference, recovered);
    }

    [Fact]
    public async Task CommitAsync_Canceled_ThatBatchAndLaterOnesNotCommitted()
    {
        using var folder = new TempDirectory();
        using (var store = CheckpointStore.Open(folder.Path, out _, Inline))
        {
            var first = store.BeginBatch(1);
            first.Add("a"u8, 1);
            await first.CommitAsync(new SourcePosition("feed", 1), default, TestContext.Current.CancellationToken);

            var second = store.BeginBatch(2);
            second.Add("a"u8, 2);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.CommitAsync(new SourcePosition("feed", 2), default, new CancellationToken(canceled: true)));

            var third = store.BeginBatch(3);
            third.Add("a"u8, 3);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third.CommitAsync(new SourcePosition("feed", 3), default, TestContext.Current.CancellationToken));
            Assert.Equal(1, store.LastBatch);
        }

        using var reopened = CheckpointStore.Open(folder.Path, out var recovered, Inline);
        Assert.Equal(1, recovered.Batch);
        Assert.Equal(1, recovered.Totals[[(byte)'a']]);
    }

    [Fact]
    public async Task CommitAsync_SnapshotGivenByTheCaller_IsTheSnapshotWrittenAndRecovered()
    {
        using var folder = new TempDirectory();
        using (var store = CheckpointStore.Open(folder.Path, out _, Inline))
        {
            for (long batch = 1; batch <= 3; batch++)
            {
                var commit = store.BeginBatch(batch);
                commit.Add("a"u8, batch);
                Assert.Equal(batch == 3, commit.SnapshotDue);
                var snapshot = new EntryBuffer();
                if (batch < 3)
                {
                    snapshot.Add("a"u8, batch);
                    Assert.Throws<InvalidOperationException>(() => commit.AddEncodedToSnapshot(snapshot));
                }
                else
                {
                    // Not what the deltas say: only a snapshot written from the caller's entries holds "b".
                    snapshot.Add("a"u8, 3);
                    snapshot.Add("b"u8, 7);
                    commit.AddEncodedToSnapshot(snapshot);
                }

                await commit.CommitAsync(new SourcePosition("feed", batch), default, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(File.Exists(Path.Combine(folder.Path, "0000000000000000003.snapshot")));
        using var reopened = CheckpointStore.Open(folder.Path, out var recovered, Inline);
        Assert.Equal(3, recovered.Batch);
        Assert.Equal(3, recovered.Totals[[(byte)'a']]);
        Assert.Equal(7, recovered.Totals[[(byte)'b']]);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 25)];

    private static (Dictionary<string, long> Before, string LastFile) WriteThreeBatches(string directory, CheckpointStoreOptions options)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        using var store = CheckpointStore.Open(directory, out _, options);
        Dictionary<string, long> before = [];
        for (long batch = 1; batch <= 3; batch++)
        {
            if (batch == 3)
            {
                before = new Dictionary<string, long>(totals, StringComparer.Ordinal);
            }

            var commit = store.BeginBatch(batch);
            foreach (var tag in new[] { "a", "é" + batch, "🙂", "日本" })
            {
                totals[tag] = totals.GetValueOrDefault(tag) + (batch * 300);
                commit.Add(Encoding.UTF8.GetBytes(tag), totals[tag]);
            }

            commit.Commit(new SourcePosition("feed", batch), new CheckpointCounters(batch, batch * 4, 0));
        }

        return (before, Path.Combine(directory, "0000000000000000003.delta"));
    }

    private static void AssertTotals(Dictionary<string, long> expected, RecoveredCheckpoint recovered)
    {
        var actual = recovered.Totals.ToDictionary(p => Encoding.UTF8.GetString(p.Key), p => p.Value, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
