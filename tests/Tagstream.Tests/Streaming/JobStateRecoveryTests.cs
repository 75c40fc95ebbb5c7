using System.Text;
using Tagstream.Counting.Windows;
using Tagstream.Sources;
using Tagstream.State;
using Tagstream.Streaming;
using Tagstream.Tests.Sources.Replay;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Streaming;

/// <summary>
/// The window, its top, trending and the SQL mirror's <c>window_hashtags</c> after a restart from a checkpoint equal those
/// of a job that never stopped, fed the same batches (the window slides by batch, so the downtime does not age it).
/// </summary>
public sealed class JobStateRecoveryTests
{
    // The window's whole content, every batch; a number first, so that it does not replace the all-time ranking.
    private const string WindowQuery = "select count, hashtag from window_hashtags order by count desc, hashtag asc";

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CloseBatch_RestartedAtRandomBatches_EqualsUninterruptedRun(int seed)
    {
        var random = new Random(seed);
        var input = RandomInput(random, 45);

        // Windows shorter and longer than the snapshot interval, so that compaction has to keep the window's deltas.
        var options = Options(random.Next(2) == 0 ? random.Next(1, 5) : random.Next(5, 21), workers: random.Next(1, 3));
        var reference = Uninterrupted(options, input);
        var storeOptions = new CheckpointStoreOptions
        {
            SnapshotInterval = random.Next(1, 5),
            MinimumSnapshotEntries = random.Next(2) == 0 ? 10 : 100_000,
            CompactInBackground = random.Next(2) == 0,
        };

        using var folder = new TempDirectory();
        var status = new StatusList();
        var restarts = 0;
        var state = new JobState(options with { CheckpointDirectory = folder.Path }, status, storeOptions);
        try
        {
            long batch = 1;
            while (batch <= input.Count)
            {
                AssertSameBatch(reference[(int)batch - 1], Close(state, input, batch));
                if (random.Next(5) != 0)
                {
                    batch++;
                    continue;
                }

                // Crash after batch b's commit, or (no snapshot of b yet) before its rename: the folder then holds b - 1.
                state.Dispose();
                var delta = Path.Combine(folder.Path, $"{batch:D19}.delta");
                if (random.Next(2) == 0 && !File.Exists(Path.ChangeExtension(delta, ".snapshot")))
                {
                    File.Move(delta, delta + ".tmp");
                    batch--;
                }

                state = new JobState(options with { CheckpointDirectory = folder.Path }, status, storeOptions);
                restarts += batch == 0 ? 0 : 1;
                Assert.Equal(batch == 0 ? null : new SourcePosition("test", batch), state.ResumeAt);
                batch++;
            }
        }
        finally
        {
            state.Dispose();
        }

        Assert.DoesNotContain(status.Items, s => s.Severity != SourceSeverity.Info);
        // One line per restart that found a committed batch (none when it crashed before batch 1 committed).
        Assert.Equal(restarts, status.Items.Count(s => s.Message.StartsWith("Recovered batch", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CloseBatch_TwoWorkersTotalsOnlyRestartedAtRandomBatches_RankingHoldsEveryTotal(int seed)
    {
        // Totals only, with two workers: each shard encodes its part of the checkpoint (deltas and snapshots) on its worker.
        var random = new Random(seed);
        var input = RandomInput(random, 40);
        var options = new HashtagJobOptions { Interval = TimeSpan.FromSeconds(1), Top = 1000, Workers = 2 };
        var storeOptions = new CheckpointStoreOptions
        {
            SnapshotInterval = random.Next(1, 5),
            MinimumSnapshotEntries = 10,
            CompactInBackground = random.Next(2) == 0,
        };
        var utf8Order = Comparer<string>.Create((x, y) => Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        using var folder = new TempDirectory();
        var state = new JobState(options with { CheckpointDirectory = folder.Path }, status: null, storeOptions);
        try
        {
            for (long batch = 1; batch <= input.Count; batch++)
            {
                foreach (var (tag, count) in input[(int)batch - 1])
                {
                    totals[tag] = totals.GetValueOrDefault(tag) + count;
                }

                var result = Close(state, input, batch);
                var expected = totals.OrderByDescending(t => t.Value).ThenBy(t => t.Key, utf8Order).Select(t => new HashtagCount(t.Key, t.Value));
                Assert.Equal(expected, result.Top);
                if (random.Next(4) == 0)
                {
                    state.Dispose();
                    state = new JobState(options with { CheckpointDirectory = folder.Path }, status: null, storeOptions);
                    Assert.Equal(new SourcePosition("test", batch), state.ResumeAt);
                }
            }
        }
        finally
        {
            state.Dispose();
        }
    }

    [Fact]
    public void Constructor_DamagedNewestDelta_RecoversEarlierBatchExactlyAndSaysSo()
    {
        var input = RandomInput(new Random(11), 36);
        var options = Options(windowBatches: 8, workers: 1);
        var reference = Uninterrupted(options, input);
        var storeOptions = new CheckpointStoreOptions { SnapshotInterval = 4, CompactInBackground = false };
        using var folder = new TempDirectory();
        RunBatches(options with { CheckpointDirectory = folder.Path }, storeOptions, input, reference, 1, 30);
        Corrupt(folder.Path, 30);

        var status = new StatusList();
        using var state = new JobState(options with { CheckpointDirectory = folder.Path }, status, storeOptions);

        // Batch 30 never committed: the job resumes after batch 29, whose window (22..29) is whole.
        Assert.Equal(new SourcePosition("test", 29), state.ResumeAt);
        Assert.Contains(status.Items, s => s.Severity == SourceSeverity.Warning && s.Message.Contains("batch 30 counts as never committed; recovering batch 29", StringComparison.Ordinal));
        Assert.DoesNotContain(status.Items, s => s.Message.StartsWith("Window:", StringComparison.Ordinal));
        for (long batch = 30; batch <= 36; batch++)
        {
            AssertSameBatch(reference[(int)batch - 1], Close(state, input, batch));
        }
    }

    [Fact]
    public void Constructor_DamagedDeltaBeforeNewestSnapshot_KeepsExactTotalsAndReportsThePartialWindow()
    {
        var input = RandomInput(new Random(12), 45);
        var options = Options(windowBatches: 8, workers: 2);
        var reference = Uninterrupted(options, input);
        var storeOptions = new CheckpointStoreOptions { SnapshotInterval = 4, CompactInBackground = false };
        using var folder = new TempDirectory();
        RunBatches(options with { CheckpointDirectory = folder.Path }, storeOptions, input, reference, 1, 30);

        // Snapshots at 20 (the window's base), 24 and 28; batch 26's delta is inside the window of batch 30.
        Corrupt(folder.Path, 26);

        var status = new StatusList();
        using var state = new JobState(options with { CheckpointDirectory = folder.Path }, status, storeOptions);

        Assert.Equal(new SourcePosition("test", 30), state.ResumeAt);
        Assert.Contains(status.Items, s => s.Severity == SourceSeverity.Warning && s.Message.Contains("skipped, snapshot 28 follows it", StringComparison.Ordinal));
        var window = Assert.Single(status.Items, s => s.Message.StartsWith("Window:", StringComparison.Ordinal));
        Assert.Equal(SourceSeverity.Warning, window.Severity);
        Assert.Contains("only the last 2 of its 8 batches", window.Message, StringComparison.Ordinal);
        Assert.Contains("complete again from batch 36", window.Message, StringComparison.Ordinal);

        for (long batch = 31; batch <= 45; batch++)
        {
            var result = Close(state, input, batch);
            if (batch >= 36)
            {
                AssertSameBatch(reference[(int)batch - 1], result);
                continue;
            }

            // Until then: exact totals, and a window of the batches after snapshot 28 only.
            var expected = reference[(int)batch - 1];
            Assert.Equal((expected.Batch, expected.TotalTags, expected.DistinctTags), (result.Batch, result.TotalTags, result.DistinctTags));
            Assert.Equal(expected.Top, result.Top);
            Assert.Equal(NaiveWindow(input, batch, (int)batch - 28), WindowRows(result));
        }
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 30)];

    private static HashtagJobOptions Options(int windowBatches, int workers) => new()
    {
        Interval = TimeSpan.FromSeconds(1),
        Window = TimeSpan.FromSeconds(windowBatches),
        Trending = true,

        // Low support, so that trending ranks many hashtags of a small stream.
        TrendingOptions = new TrendingOptions { MinimumWindowCount = 2, Smoothing = 3 },
        Top = 8,
        Workers = workers,
        Sql = WindowQuery,
    };

    /// <summary>Batches of lines of hashtags (Zipf, with bursts of a rare tag and empty batches).</summary>
    private static List<Dictionary<string, long>> RandomInput(Random random, int batches)
    {
        var vocabulary = RandomTags.Vocabulary(random, random.Next(20, 120));
        var zipf = new Zipf(random, vocabulary.Length, 1.1);
        var input = new List<Dictionary<string, long>>();
        for (var b = 0; b < batches; b++)
        {
            var batch = new Dictionary<string, long>(StringComparer.Ordinal);
            var occurrences = random.Next(6) == 0 ? 0 : random.Next(1, 250);
            for (var i = 0; i < occurrences; i++)
            {
                var tag = random.Next(10) == 0 ? vocabulary[^(1 + (b % 3))] : vocabulary[zipf.Next()];
                batch[tag] = batch.GetValueOrDefault(tag) + 1;
            }

            input.Add(batch);
        }

        return input;
    }

    private static List<BatchResult> Uninterrupted(HashtagJobOptions options, List<Dictionary<string, long>> input)
    {
        using var state = new JobState(options, status: null);
        var results = new List<BatchResult>();
        for (long batch = 1; batch <= input.Count; batch++)
        {
            var result = Close(state, input, batch);

            // The reference itself: its window holds exactly the last k batches.
            Assert.Equal(NaiveWindow(input, batch, options.WindowBatches), WindowRows(result));
            results.Add(result);
        }

        return results;
    }

    private static void RunBatches(HashtagJobOptions options, CheckpointStoreOptions storeOptions, List<Dictionary<string, long>> input, List<BatchResult> reference, long first, long last)
    {
        using var state = new JobState(options, status: null, storeOptions);
        for (var batch = first; batch <= last; batch++)
        {
            AssertSameBatch(reference[(int)batch - 1], Close(state, input, batch));
        }
    }

    /// <summary>Counts batch <paramref name="batch"/>'s input (one line per occurrence set) and closes the batch.</summary>
    private static BatchResult Close(JobState state, List<Dictionary<string, long>> input, long batch)
    {
        var lines = new StringBuilder();
        foreach (var (tag, count) in input[(int)batch - 1])
        {
            for (var i = 0; i < count; i++)
            {
                lines.Append(tag).Append(i % 4 == 3 ? '\n' : ' ');
            }
        }

        lines.Append('\n');

        // Every batch counts one chunk, even an empty one, so that its position names the batch the job resumes after.
        state.Count(new PostChunk(Encoding.UTF8.GetBytes(lines.ToString()), null, 0, new SourcePosition("test", batch), IsFinal: false));
        return state.CloseBatch("test");
    }

    private static void AssertSameBatch(BatchResult expected, BatchResult actual)
    {
        Assert.Equal(
            (expected.Batch, expected.TotalPosts, expected.TotalTags, expected.DistinctTags),
            (actual.Batch, actual.TotalPosts, actual.TotalTags, actual.DistinctTags));
        Assert.Equal(expected.Top, actual.Top);
        Assert.Equal(expected.Window!, actual.Window!);
        Assert.Equal(expected.Trending!, actual.Trending!);
        Assert.Equal(WindowRows(expected), WindowRows(actual));
    }

    private static List<(long, string)> WindowRows(BatchResult result)
    {
        Assert.Null(result.Sql!.Error);
        return [.. result.Sql.Rows.Select(row => ((long)row[0]!, (string)row[1]!))];
    }

    /// <summary>The window's rows as the query orders them, summed from the input of its last <paramref name="length"/> batches.</summary>
    private static List<(long, string)> NaiveWindow(List<Dictionary<string, long>> input, long batch, int length)
    {
        var window = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var b = Math.Max(1, batch - length + 1); b <= batch; b++)
        {
            foreach (var (tag, count) in input[(int)b - 1])
            {
                window[tag] = window.GetValueOrDefault(tag) + count;
            }
        }

        return [.. RandomTags.NaiveTop(window, window.Count).Select(p => (p.Value, p.Key))];
    }

    private static void Corrupt(string directory, long batch)
    {
        var path = Path.Combine(directory, $"{batch:D19}.delta");
        var bytes = File.ReadAllBytes(path);
        bytes[^9] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
