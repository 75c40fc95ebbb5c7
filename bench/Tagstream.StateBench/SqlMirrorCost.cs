using System.Diagnostics;
using Tagstream.Query;

namespace Tagstream.StateBench;

/// <summary>What <c>--sql</c> costs per batch: upserting the changed keys into the in-memory mirror, then the default query.</summary>
internal static class SqlMirrorCost
{
    private const string DefaultQuery = "select hashtag, total from hashtags order by total desc, hashtag asc limit 20";

    public static void Run(byte[][] keys, long[] totals)
    {
        using var mirror = new HashtagSqlMirror(DefaultQuery, withWindow: false);
        var watch = Stopwatch.StartNew();
        Upsert(mirror, keys, totals, keys.Length, bump: 0);
        Console.WriteLine($"sql mirror: first load of {keys.Length:N0} keys {watch.Elapsed.TotalMilliseconds:F0} ms");
        foreach (var changed in new[] { 100_000, 1_000_000 })
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
            Upsert(mirror, keys, totals, changed, bump: changed);
            var upsert = watch.Elapsed.TotalMilliseconds;
            var upsertCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            watch.Restart();
            var result = mirror.Run();
            var query = watch.Elapsed.TotalMilliseconds;
            Console.WriteLine($"sql mirror: batch of {changed:N0} changed keys: upsert {upsert:F0} ms wall / {upsertCpu:F0} ms CPU, default top-20 query {query:F1} ms ({result.Rows.Count} rows)");
        }
    }

    private static void Upsert(HashtagSqlMirror mirror, byte[][] keys, long[] totals, int count, long bump)
    {
        mirror.BeginBatch();
        for (var i = 0; i < count; i++)
        {
            mirror.SetTotal(keys[i], totals[i] + bump);
        }

        mirror.CommitBatch();
    }
}
