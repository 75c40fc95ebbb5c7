using System.Text;
using Tagstream.Counting;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Counting;

public sealed class SpaceSavingSummaryTests
{
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Add_ZipfStream_BoundsHold(int seed)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, 3000);
        var zipf = new Zipf(random, vocabulary.Length, 0.8 + (random.NextDouble() * 0.6));
        var stream = Enumerable.Range(0, 20_000).Select(_ => (vocabulary[zipf.Next()], 1L));

        CheckGuarantees(stream, capacity: random.Next(1, 200));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Add_WeightedBatches_BoundsHold(int seed)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, 500);
        var zipf = new Zipf(random, vocabulary.Length, 1.1);
        var stream = Enumerable.Range(0, 3000).Select(_ => (vocabulary[zipf.Next()], (long)random.Next(1, 50)));

        CheckGuarantees(stream, capacity: random.Next(1, 60));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Add_AdversarialStream_BoundsHold(int seed)
    {
        // Heavy hitters arrive late and are interleaved with runs of fresh one-off tags, the stream that forces the most
        // evictions and the largest errors (each fresh tag replaces the minimum counter).
        var random = new Random(seed);
        var capacity = random.Next(2, 40);
        var heavy = RandomTags.Vocabulary(random, capacity / 2 + 1);
        var stream = new List<(string, long)>();
        var fresh = 0;
        for (var round = 0; round < 300; round++)
        {
            var run = random.Next(capacity, 3 * capacity);
            for (var i = 0; i < run; i++)
            {
                stream.Add(("fresh" + fresh++, 1));
            }

            if (round > 50)
            {
                stream.Add((heavy[random.Next(heavy.Length)], random.Next(1, 4 * capacity)));
            }
        }

        CheckGuarantees(stream, capacity);
    }

    [Fact]
    public void Add_FewerDistinctThanCapacity_IsExact()
    {
        var summary = new SpaceSavingSummary(10);
        foreach (var tag in new[] { "a", "é", "a", "日本", "a", "é" })
        {
            summary.Add(Encoding.UTF8.GetBytes(tag));
        }

        Assert.Equal([("a", 3L, 0L), ("é", 2, 0), ("日本", 1, 0)], summary.Top(5).Select(c => (c.Hashtag, c.Total, c.Error)));
    }

    [Fact]
    public void Add_FullSummary_NewTagReplacesSmallestWithItsCountAsError()
    {
        var summary = new SpaceSavingSummary(2);
        summary.Add("a"u8, 5);
        summary.Add("b"u8, 2);
        summary.Add("c"u8, 1);

        Assert.False(summary.TryGetCount("b"u8, out _, out _));
        Assert.True(summary.TryGetCount("c"u8, out var count, out var error));
        Assert.Equal((3L, 2L), (count, error));
        Assert.Equal(8, summary.StreamLength);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    private static void CheckGuarantees(IEnumerable<(string Tag, long Weight)> stream, int capacity)
    {
        var summary = new SpaceSavingSummary(capacity);
        var truth = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (tag, weight) in stream)
        {
            summary.Add(Encoding.UTF8.GetBytes(tag), weight);
            truth[tag] = truth.GetValueOrDefault(tag) + weight;
        }

        var length = truth.Values.Sum();
        Assert.Equal(length, summary.StreamLength);
        Assert.Equal(Math.Min(capacity, truth.Count), summary.Count);

        var monitored = summary.Top(capacity);
        Assert.Equal(summary.Count, monitored.Count);
        Assert.Equal(length, monitored.Sum(c => c.Total));
        foreach (var counter in monitored)
        {
            var actual = truth[counter.Hashtag];
            Assert.InRange(actual, counter.Total - counter.Error, counter.Total);
            Assert.True(summary.TryGetCount(Encoding.UTF8.GetBytes(counter.Hashtag), out var count, out var error));
            Assert.Equal((counter.Total, counter.Error), (count, error));
        }

        var present = monitored.Select(c => c.Hashtag).ToHashSet(StringComparer.Ordinal);
        foreach (var (tag, count) in truth.Where(p => p.Value * capacity > length))
        {
            Assert.Contains(tag, present);
        }

        // Top(n) is the ranking of all counters, cut at n.
        var expectedOrder = RandomTags.NaiveTop(monitored.Select(c => KeyValuePair.Create(c.Hashtag, c.Total)), 10).Select(p => p.Key);
        Assert.Equal(expectedOrder, summary.Top(10).Select(c => c.Hashtag));
    }
}
