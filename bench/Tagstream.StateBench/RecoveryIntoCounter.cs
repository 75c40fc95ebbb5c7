using System.Diagnostics;
using Tagstream.Counting;
using Tagstream.State;

namespace Tagstream.StateBench;

/// <summary>The recovery figure: from a checkpoint folder of 1 M tags to a counter ready to rank.</summary>
internal static class RecoveryIntoCounter
{
    public static void Run(string directory)
    {
        // CPU time as well as wall time: on the shared 2-core machine the wall time mostly measures other processes.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using var store = CheckpointStore.Open(directory, out var recovered);
        var read = watch.Elapsed.TotalMilliseconds;
        using var counter = new HashtagCounter();
        counter.EnsureCapacity(recovered.Totals.Count);
        foreach (var (hashtag, total) in recovered.Totals)
        {
            counter.AddTotal(hashtag, total);
        }

        var added = watch.Elapsed.TotalMilliseconds;
        _ = counter.Top(20);
        var ranked = watch.Elapsed.TotalMilliseconds;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        Console.WriteLine($"recovery into the counter of {recovered.Totals.Count:N0} tags (batch {recovered.Batch}): read files {read:F0} ms, AddTotal {added - read:F0} ms, first top-20 {ranked - added:F0} ms, total {ranked:F0} ms wall, {cpuMs:F0} ms CPU");
    }
}
