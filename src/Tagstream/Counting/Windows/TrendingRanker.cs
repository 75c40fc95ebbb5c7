using System.Text;

namespace Tagstream.Counting.Windows;

/// <summary>
/// Ranks the window's hashtags whose rate rises most against their longer-term rate (docs/trending.md):
/// score = (w + a) / (e + a), where w is the window count, e = (T - w) × k / (B - k) the count expected in the window
/// from the rate before it (T the all-time total, B the batches since the start, k the batches in the window; e = 0
/// while nothing precedes the window), a the smoothing, and only hashtags with w at least the minimum support ranked.
/// </summary>
/// <remarks>
/// The expectation of every window hashtag moves as B grows, so each ranking visits the window's distinct hashtags once
/// (O(d log n) with a bounded heap, d = window distinct), with one all-time lookup each.
/// </remarks>
public sealed class TrendingRanker(TrendingOptions options)
{
    /// <summary>The top <paramref name="n"/> trending hashtags: score descending, then window count descending, then hashtag by UTF-8 bytes.</summary>
    /// <param name="window">The window, after its last closed batch.</param>
    /// <param name="totals">The all-time totals (they include the window).</param>
    /// <param name="batchesSinceStart">
    /// Batches the all-time totals span, B (with a recovered checkpoint: the checkpoint's batch id, as the totals span
    /// those batches too). At least the window's closed batches.
    /// </param>
    /// <param name="n">How many to return.</param>
    public IReadOnlyList<TrendingHashtag> Rank(SlidingWindow window, HashtagTotalLookup totals, long batchesSinceStart, int n)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var inWindow = Math.Min(window.Length, window.BatchesClosed);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesSinceStart, inWindow);
        var before = batchesSinceStart - inWindow;

        var comparer = Comparer<Candidate>.Create((x, y) => Compare(window, x, y));
        var worstFirst = new PriorityQueue<Candidate, Candidate>(Comparer<Candidate>.Create((x, y) => comparer.Compare(y, x)));
        for (var entry = 0; entry < window.EntryCount && n > 0; entry++)
        {
            if (!window.InWindow(entry) || window.CountOf(entry) < options.MinimumWindowCount)
            {
                continue;
            }

            var count = window.CountOf(entry);
            var total = totals(window.KeyOf(entry));
            var expected = Expected(total, count, inWindow, before);
            var candidate = new Candidate(entry, count, total, expected, Score(count, expected, options.Smoothing));
            if (worstFirst.Count < n)
            {
                worstFirst.Enqueue(candidate, candidate);
            }
            else if (comparer.Compare(candidate, worstFirst.Peek()) < 0)
            {
                worstFirst.DequeueEnqueue(candidate, candidate);
            }
        }

        var ranked = new TrendingHashtag[worstFirst.Count];
        for (var i = ranked.Length - 1; i >= 0; i--)
        {
            var c = worstFirst.Dequeue();
            ranked[i] = new TrendingHashtag(Encoding.UTF8.GetString(window.KeyOf(c.Entry)), c.Count, c.Total, c.Expected, c.Score);
        }

        return ranked;
    }

    /// <summary>The window count the rate before the window predicts; 0 when no batch precedes the window.</summary>
    internal static double Expected(long total, long windowCount, long batchesInWindow, long batchesBefore) =>
        batchesBefore == 0 ? 0 : (double)(total - windowCount) * batchesInWindow / batchesBefore;

    internal static double Score(long windowCount, double expected, double smoothing) =>
        (windowCount + smoothing) / (expected + smoothing);

    private static int Compare(SlidingWindow window, Candidate x, Candidate y)
    {
        var byScore = y.Score.CompareTo(x.Score);
        if (byScore != 0)
        {
            return byScore;
        }

        var byCount = y.Count.CompareTo(x.Count);
        return byCount != 0 ? byCount : window.KeyOf(x.Entry).SequenceCompareTo(window.KeyOf(y.Entry));
    }

    private readonly record struct Candidate(int Entry, long Count, long Total, double Expected, double Score);
}
