using System.Diagnostics;
using Tagstream.Counting.Windows;

namespace Tagstream.StateBench;

/// <summary>
/// What <c>--window</c> and <c>--trending</c> cost per batch over a 1 M-key vocabulary: adding a batch's changes and
/// closing it (ranking updated for touched keys only), the window's top-20, and a trending ranking.
/// </summary>
internal static class WindowCost
{
    public static void Run(byte[][] keys, int windowLength, int changedPerBatch, int batches)
    {
        var window = new SlidingWindow(windowLength);
        var random = new Random(3);
        var allTime = new long[keys.Length];
        var index = new Dictionary<byte[], int>(Tagstream.Utf8KeyComparer.Instance);
        for (var i = 0; i < keys.Length; i++)
        {
            index[keys[i]] = i;
        }

        var lookup = index.GetAlternateLookup<ReadOnlySpan<byte>>();
        var ranker = new TrendingRanker(new TrendingOptions());
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var add = new Stopwatch();
        var close = new Stopwatch();
        var top = new Stopwatch();
        var trending = new Stopwatch();
        for (var b = 0; b < batches; b++)
        {
            // A batch touches a random subset (a stand-in for the counter's changes).
            var start = random.Next(keys.Length);
            add.Start();
            for (var i = 0; i < changedPerBatch; i++)
            {
                var k = (start + (i * 7919)) % keys.Length;
                var delta = 1 + (i % 5);
                allTime[k] += delta;
                window.Add(keys[k], delta);
            }

            add.Stop();
            close.Start();
            window.CloseBatch();
            close.Stop();
            top.Start();
            _ = window.Top(20);
            top.Stop();
            if (b == batches - 1)
            {
                trending.Start();
                _ = ranker.Rank(window, key => allTime[lookup[key]], b + 1, 20);
                trending.Stop();
            }
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        Console.WriteLine(
            $"window of {windowLength} batches, {changedPerBatch:N0} changed keys per batch, {window.DistinctCount:N0} keys in the window: " +
            $"add {add.Elapsed.TotalMilliseconds / batches:F0} ms, close (evict + re-rank touched) {close.Elapsed.TotalMilliseconds / batches:F0} ms, " +
            $"top-20 {top.Elapsed.TotalMilliseconds / batches:F2} ms per batch; trending top-20 over the window {trending.Elapsed.TotalMilliseconds:F0} ms (wall); " +
            $"CPU per batch for everything {cpu / batches:F0} ms");
    }
}
