using System.Text;
using Tagstream.Counting.Windows;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Counting;

public sealed class TrendingRankerTests
{
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Rank_RandomStreamWithBursts_EqualsNaiveScores(int seed)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, 120);
        var zipf = new Zipf(random, vocabulary.Length, 1.1);
        var length = random.Next(1, 6);
        var options = new TrendingOptions { Smoothing = random.Next(1, 20), MinimumWindowCount = random.Next(1, 8) };
        var ranker = new TrendingRanker(options);
        var window = new SlidingWindow(length);

        // Totals recovered from a checkpoint span batches the window never saw.
        var recoveredBatches = random.Next(0, 3) * 10;
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < recoveredBatches * 50; i++)
        {
            var tag = vocabulary[zipf.Next()];
            totals[tag] = totals.GetValueOrDefault(tag) + 1;
        }

        var batches = new List<Dictionary<string, long>>();
        for (var b = 0; b < 40; b++)
        {
            var batch = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < random.Next(0, 200); i++)
            {
                // Now and then a rare tag bursts: the case the score is for.
                var tag = random.Next(10) == 0 ? vocabulary[^random.Next(1, 10)] : vocabulary[zipf.Next()];
                batch[tag] = batch.GetValueOrDefault(tag) + 1;
            }

            batches.Add(batch);
            foreach (var (tag, delta) in batch)
            {
                totals[tag] = totals.GetValueOrDefault(tag) + delta;
                window.Add(Encoding.UTF8.GetBytes(tag), delta);
            }

            window.CloseBatch();
            var batchesSinceStart = recoveredBatches + b + 1;
            var n = random.Next(1, 25);
            var actual = ranker.Rank(window, tag => totals.GetValueOrDefault(Encoding.UTF8.GetString(tag)), batchesSinceStart, n);

            var expected = NaiveTrending(batches, length, totals, batchesSinceStart, options, n);
            Assert.Equal(expected, actual.Select(t => (t.Hashtag, t.WindowCount, t.Total, t.Expected, t.Score)));
        }
    }

    [Fact]
    public void Rank_BurstOfRareTag_OutranksSteadyPopularTag()
    {
        var window = new SlidingWindow(1);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal) { ["steady"] = 1000, ["burst"] = 60 };

        // 10 batches before: steady ran at 90 per batch, burst at 1; now steady 100 and burst 50.
        window.Add("steady"u8, 100);
        window.Add("burst"u8, 50);
        window.CloseBatch();
        var ranked = new TrendingRanker(new TrendingOptions()).Rank(window, t => totals[Encoding.UTF8.GetString(t)], batchesSinceStart: 11, n: 2);

        Assert.Equal(["burst", "steady"], ranked.Select(t => t.Hashtag));
        Assert.Equal(1.0, ranked[0].Expected);
        Assert.Equal((50 + 10) / (1.0 + 10), ranked[0].Score);
        Assert.Equal((100 + 10) / (90.0 + 10), ranked[1].Score);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    private static List<(string, long, long, double, double)> NaiveTrending(
        List<Dictionary<string, long>> batches, int length, Dictionary<string, long> totals, long batchesSinceStart, TrendingOptions options, int n)
    {
        var k = Math.Min(length, batches.Count);
        var window = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var batch in batches.Skip(batches.Count - k))
        {
            foreach (var (tag, count) in batch)
            {
                window[tag] = window.GetValueOrDefault(tag) + count;
            }
        }

        var before = batchesSinceStart - k;
        return window.Where(p => p.Value >= options.MinimumWindowCount)
            .Select(p =>
            {
                var expected = before == 0 ? 0 : (double)(totals[p.Key] - p.Value) * k / before;
                var score = (p.Value + options.Smoothing) / (expected + options.Smoothing);
                return (p.Key, p.Value, totals[p.Key], expected, score);
            })
            .OrderByDescending(t => t.score)
            .ThenByDescending(t => t.Value)
            .ThenBy(t => Encoding.UTF8.GetBytes(t.Key), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))
            .Take(n)
            .ToList();
    }
}
