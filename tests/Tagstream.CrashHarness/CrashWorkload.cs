using System.Text;

namespace Tagstream.CrashHarness;

/// <summary>
/// The deterministic stream of batches the harness commits: batch b's increments depend only on (seed, b), so the totals
/// after any batch are known without running the harness, however often it was killed and restarted.
/// </summary>
public static class CrashWorkload
{
    /// <summary>The (hashtag, increment) pairs of batch <paramref name="batch"/>, distinct hashtags.</summary>
    public static IReadOnlyList<(byte[] Hashtag, long Increment)> Batch(int seed, long batch)
    {
        // Not HashCode.Combine: its seed differs per process, and the test recomputes batches in another process.
        var random = new Random(unchecked((seed * 1_000_003) + (int)batch));
        var changes = new Dictionary<int, long>();
        var count = random.Next(1, 3000);
        for (var i = 0; i < count; i++)
        {
            // Skewed: low ids recur in most batches, high ids rarely.
            var id = (int)Math.Pow(random.Next(1, 20_000), random.NextDouble() * 0.5 + 0.5);
            changes[id] = changes.GetValueOrDefault(id) + random.Next(1, 5);
        }

        return [.. changes.Select(p => (Encoding.UTF8.GetBytes((p.Key % 5 == 0 ? "é" : "t") + p.Key), p.Value))];
    }

    /// <summary>The totals after <paramref name="lastBatch"/>, computed naively.</summary>
    public static Dictionary<string, long> Totals(int seed, long lastBatch)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        for (long b = 1; b <= lastBatch; b++)
        {
            foreach (var (hashtag, increment) in Batch(seed, b))
            {
                var key = Encoding.UTF8.GetString(hashtag);
                totals[key] = totals.GetValueOrDefault(key) + increment;
            }
        }

        return totals;
    }
}
