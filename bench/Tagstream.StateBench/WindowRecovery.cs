using System.Diagnostics;
using Tagstream.Counting.Windows;
using Tagstream.State;

namespace Tagstream.StateBench;

/// <summary>
/// What a window costs a restart (docs/checkpoints.md): a folder of 1 M tags written with a window of 30 batches and a
/// snapshot every 10, 100 k changed tags per batch; recovery without the window (totals only) against recovery with it
/// (the increments of the last 30 batches, then refilling a <see cref="SlidingWindow"/> from them), and the disk used.
/// </summary>
internal static class WindowRecovery
{
    private const int WindowLength = 30;
    private const int ChangedPerBatch = 100_000;

    public static void Run(string directory, byte[][] keys)
    {
        var options = new CheckpointStoreOptions { SnapshotInterval = 10, CompactInBackground = false, WindowBatches = WindowLength };
        var totals = new long[keys.Length];
        using (var store = CheckpointStore.Open(directory, out _, options))
        {
            var first = store.BeginBatch(1);
            for (var i = 0; i < keys.Length; i++)
            {
                totals[i] = 1 + (i % 1000);
                first.Add(keys[i], totals[i]);
            }

            first.Commit(null, default);
            var random = new Random(5);
            for (var b = 2; b <= 65; b++)
            {
                var batch = store.BeginBatch(b);
                var start = random.Next(keys.Length);
                for (var i = 0; i < ChangedPerBatch; i++)
                {
                    var k = (start + (i * 7919)) % keys.Length;
                    totals[k] += 1 + (i % 5);
                    batch.Add(keys[k], totals[k]);
                }

                batch.Commit(new SourcePosition("run", b), new CheckpointCounters(b, b, 0));
            }
        }

        var files = Directory.GetFiles(directory);
        Console.WriteLine(
            $"folder after batch 65 (window {WindowLength}, snapshot every 10, {ChangedPerBatch:N0} changed per batch): " +
            $"{files.Count(f => f.EndsWith(".delta", StringComparison.Ordinal))} deltas, {files.Count(f => f.EndsWith(".snapshot", StringComparison.Ordinal))} snapshots, " +
            $"{files.Sum(f => new FileInfo(f).Length) / 1e6:F0} MB");

        for (var repeat = 0; repeat < 3; repeat++)
        {
            // CPU time as well as wall time: on the shared 2-core machine the wall time also measures other processes.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var (totalsOnly, _) = Measure(directory, options with { WindowBatches = 0 }, refill: false);
            var cpuTotalsOnly = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var (withWindow, refill) = Measure(directory, options, refill: true);
            var cpuWithWindow = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(
                $"recovery: totals only {totalsOnly:F0} ms ({cpuTotalsOnly.TotalMilliseconds:F0} ms CPU); with the window's " +
                $"increments {withWindow:F0} ms + refilling the window {refill:F0} ms ({cpuWithWindow.TotalMilliseconds:F0} ms CPU)");
        }
    }

    private static (double Open, double Refill) Measure(string directory, CheckpointStoreOptions options, bool refill)
    {
        var watch = Stopwatch.StartNew();
        using var store = CheckpointStore.Open(directory, out var recovered, options);
        var open = watch.Elapsed.TotalMilliseconds;
        if (recovered.Batch != 65 || recovered.RecentBatches.Count != (refill ? WindowLength : 0))
        {
            throw new InvalidOperationException("recovered state is wrong");
        }

        if (!refill)
        {
            return (open, 0);
        }

        watch.Restart();
        var window = new SlidingWindow(WindowLength);
        foreach (var batch in recovered.RecentBatches)
        {
            foreach (var (hashtag, increment) in batch.Increments)
            {
                window.Add(hashtag, increment);
            }

            window.CloseBatch();
        }

        return (open, watch.Elapsed.TotalMilliseconds);
    }
}
