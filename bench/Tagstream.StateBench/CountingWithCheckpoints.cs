using System.Diagnostics;
using Tagstream.Counting;
using Tagstream.Sources.Synthetic;
using Tagstream.State;

namespace Tagstream.StateBench;

/// <summary>
/// The issue's figure: counting throughput of the synthetic stream (Zipf 1.1 over 1 M tags) with and without a checkpoint
/// commit after every batch, and the recovery of the resulting 1 M-tag checkpoint into a fresh counter.
/// </summary>
internal static class CountingWithCheckpoints
{
    public static void Run(string root, int batches, long postsPerBatch)
    {
        var source = new SyntheticSource(new SyntheticOptions { Seed = 7, Vocabulary = 1_000_000 });
        var segments = new byte[batches][];
        var line = new byte[1024];
        for (var b = 0; b < batches; b++)
        {
            using var segment = new MemoryStream();
            for (var i = b * postsPerBatch; i < (b + 1) * postsPerBatch; i++)
            {
                segment.Write(line, 0, source.WriteLine(i, line));
            }

            segments[b] = segment.ToArray();
        }

        Console.WriteLine($"{batches} batches of {postsPerBatch:N0} posts ({segments.Average(s => s.Length) / 1e6:F0} MB each), counter with 2 workers");

        // Alternate the runs so that both see the same machine load (2 shared cores).
        var plain = new List<double>();
        var checkpointed = new List<double>();
        long tags = 0;
        long touched = 0;
        var encodeSeconds = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            (var seconds, tags, _, _) = Count(segments, checkpointDirectory: null);
            plain.Add(seconds);
            (seconds, _, touched, var encode) = Count(segments, Fresh(root, "counting"));
            checkpointed.Add(seconds);
            encodeSeconds.Add(encode);
        }

        var plainRate = tags / plain.Min();
        var checkpointedRate = tags / checkpointed.Min();
        Console.WriteLine($"tags {tags:N0}; mean changed tags per batch {touched / batches:N0}");
        Console.WriteLine($"no checkpoint: {plainRate / 1e6:F1} M tags/s (best of 3: {plain.Min():F2} s; all {string.Join(", ", plain.Select(s => s.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"checkpoint every batch: {checkpointedRate / 1e6:F1} M tags/s (best of 3: {checkpointed.Min():F2} s; all {string.Join(", ", checkpointed.Select(s => s.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"cost of checkpointing: {(1 - (checkpointedRate / plainRate)) * 100:F1} % of throughput (best against best)");
        var best = checkpointed.IndexOf(checkpointed.Min());
        Console.WriteLine($"checkpoint work on the counting thread (enumerate changes + encode + start the write): {encodeSeconds[best] * 1000 / batches:F0} ms per batch, {encodeSeconds[best] / checkpointed[best] * 100:F1} % of that run's time");

        var recovery = Stopwatch.StartNew();
        using var store = CheckpointStore.Open(Path.Combine(root, "counting"), out var recovered);
        var opened = recovery.Elapsed.TotalMilliseconds;
        using var counter = new HashtagCounter();
        counter.EnsureCapacity(recovered.Totals.Count);
        foreach (var (hashtag, total) in recovered.Totals)
        {
            counter.AddTotal(hashtag, total);
        }

        var added = recovery.Elapsed.TotalMilliseconds;
        _ = counter.Top(20);
        Console.WriteLine($"recovery of {recovered.Totals.Count:N0} tags (batch {recovered.Batch}): read {opened:F0} ms, AddTotal into the counter {added - opened:F0} ms, first top-20 {recovery.Elapsed.TotalMilliseconds - added:F0} ms");
    }

    private static (double Seconds, long Tags, long Touched, double EncodeSeconds) Count(byte[][] segments, string? checkpointDirectory)
    {
        using var counter = new HashtagCounter();
        using var store = checkpointDirectory is null ? null : CheckpointStore.Open(checkpointDirectory, out _, new CheckpointStoreOptions { SnapshotInterval = 1000 });
        var commits = new List<Task>();
        long touched = 0;
        var encode = new Stopwatch();
        var watch = Stopwatch.StartNew();
        for (var b = 0; b < segments.Length; b++)
        {
            counter.Count(segments[b]);
            counter.CloseBatch();
            if (store is not null)
            {
                encode.Start();
                var batch = store.BeginBatch(b + 1);
                foreach (var change in counter.GetChanges())
                {
                    batch.Add(change.Hashtag, change.Total);
                }

                touched += batch.Count;
                commits.Add(batch.CommitAsync(new SourcePosition("bench", b + 1), new CheckpointCounters(counter.Posts, counter.Tags, counter.MalformedTokens), CancellationToken.None));
                encode.Stop();
            }
        }

        Task.WaitAll(commits);
        return (watch.Elapsed.TotalSeconds, counter.Tags, touched, encode.Elapsed.TotalSeconds);
    }

    private static string Fresh(string root, string name)
    {
        var dir = Path.Combine(root, name);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        return dir;
    }
}
