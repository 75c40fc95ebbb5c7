using System.Text;
using Tagstream.Counting.Windows;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Counting;

public sealed class SlidingWindowTests
{
    [Theory]
    [MemberData(nameof(Seeds))]
    public void CloseBatch_RandomBatches_EqualsNaiveWindow(int seed)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, random.Next(1, 150));
        var zipf = new Zipf(random, vocabulary.Length, 1.0);
        var length = random.Next(1, 7);

        // Small capacities make the top's candidate threshold move often (rebuilt when too few or too many qualify).
        var capacity = random.Next(2) == 0 ? random.Next(1, 6) : 100;
        var window = new SlidingWindow(length, capacity);
        var batches = new List<Dictionary<string, long>>();
        var previous = new Dictionary<string, long>(StringComparer.Ordinal);
        var maxLive = 0;

        for (var b = 0; b < 60; b++)
        {
            // Some batches are empty, some are bursts: the clock is the batch sequence.
            var batch = new Dictionary<string, long>(StringComparer.Ordinal);
            var occurrences = random.Next(4) == 0 ? 0 : random.Next(1, 300);
            for (var i = 0; i < occurrences; i++)
            {
                var tag = vocabulary[zipf.Next()];
                batch[tag] = batch.GetValueOrDefault(tag) + 1;
            }

            batches.Add(batch);
            foreach (var (tag, delta) in batch)
            {
                window.Add(Encoding.UTF8.GetBytes(tag), delta);
            }

            window.CloseBatch();

            var expected = NaiveWindow(batches, length);
            maxLive = Math.Max(maxLive, NaiveWindow(batches, length + 1).Count);
            Assert.Equal(expected.Count, window.DistinctCount);
            foreach (var tag in vocabulary)
            {
                Assert.Equal(expected.GetValueOrDefault(tag), window.GetCount(Encoding.UTF8.GetBytes(tag)));
            }

            var n = random.Next(0, Math.Min(capacity, 30) + 1);
            Assert.Equal(
                RandomTags.NaiveTop(expected, n).Select(p => (p.Key, p.Value)),
                window.Top(n).Select(c => (c.Hashtag, c.Total)));

            var changes = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var change in window.GetChanges())
            {
                changes.Add(Encoding.UTF8.GetString(change.Hashtag), change.Count);
            }

            var expectedChanges = expected.Keys.Union(previous.Keys)
                .Where(t => expected.GetValueOrDefault(t) != previous.GetValueOrDefault(t))
                .ToDictionary(t => t, t => expected.GetValueOrDefault(t), StringComparer.Ordinal);
            Assert.Equal(expectedChanges.OrderBy(p => p.Key, StringComparer.Ordinal), changes.Where(p => expectedChanges.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.All(changes.Where(p => !expectedChanges.ContainsKey(p.Key)), p => Assert.Equal(previous.GetValueOrDefault(p.Key), p.Value));
            previous = expected;

            // Memory follows the window: entries are reused once their hashtag leaves it.
            Assert.InRange(window.EntryCount, 0, maxLive);
        }
    }

    [Fact]
    public void CloseBatch_WindowOfTwo_ForgetsBatchesThatLeave()
    {
        var window = new SlidingWindow(2);
        window.Add("a"u8, 3);
        window.CloseBatch();
        window.Add("a"u8, 1);
        window.Add("b"u8, 2);
        window.CloseBatch();
        Assert.Equal((4L, 2L), (window.GetCount("a"u8), window.GetCount("b"u8)));

        window.CloseBatch();
        Assert.Equal((1L, 2L), (window.GetCount("a"u8), window.GetCount("b"u8)));
        Assert.Equal([("b", 2L), ("a", 1L)], window.Top(5).Select(c => (c.Hashtag, c.Total)));

        window.CloseBatch();
        Assert.Equal(0, window.DistinctCount);
        Assert.Empty(window.Top(5));
    }

    [Fact]
    public void Top_MoreThanCapacity_Throws()
    {
        var window = new SlidingWindow(3, topCapacity: 5);

        Assert.Throws<ArgumentOutOfRangeException>(() => window.Top(6));
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 60)];

    private static Dictionary<string, long> NaiveWindow(List<Dictionary<string, long>> batches, int length)
    {
        var window = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var batch in batches.Skip(Math.Max(0, batches.Count - length)))
        {
            foreach (var (tag, count) in batch)
            {
                window[tag] = window.GetValueOrDefault(tag) + count;
            }
        }

        return window;
    }
}
