using System.Text;
using Tagstream.Counting;

namespace Tagstream.Tests.Counting;

/// <summary>Comparisons of a <see cref="HashtagCounter"/> with a <see cref="NaiveReference"/>, with readable failures.</summary>
internal static class CounterAssert
{
    public static void FiguresEqual(NaiveReference expected, HashtagCounter actual)
    {
        Assert.Equal(expected.Posts, actual.Posts);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.Malformed, actual.MalformedTokens);
        Assert.Equal(expected.Distinct, actual.DistinctTags);
    }

    public static void ChangesEqual(Dictionary<string, long> expectedBatch, NaiveReference expected, HashtagCounter actual)
    {
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var change in actual.GetChanges())
        {
            var tag = Encoding.UTF8.GetString(change.Hashtag);
            Assert.True(seen.TryAdd(tag, change.Delta), $"'{tag}' was enumerated twice");
            Assert.True(expectedBatch.TryGetValue(tag, out var delta), $"'{tag}' was not counted in the batch");
            Assert.Equal(delta, change.Delta);
            Assert.Equal(expected.Totals[tag], change.Total);
        }

        Assert.Equal(expectedBatch.Count, seen.Count);
    }

    public static void TotalsEqual(NaiveReference expected, HashtagCounter actual)
    {
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in actual)
        {
            var tag = Encoding.UTF8.GetString(entry.Hashtag);
            Assert.True(seen.TryAdd(tag, entry.Total), $"'{tag}' was enumerated twice");
        }

        Assert.Equal(expected.Totals.OrderBy(p => p.Key, StringComparer.Ordinal), seen.OrderBy(p => p.Key, StringComparer.Ordinal));
        foreach (var (tag, total) in expected.Totals)
        {
            Assert.Equal(total, actual.GetTotal(Encoding.UTF8.GetBytes(tag)));
        }
    }

    public static void TopEqual(NaiveReference expected, HashtagCounter actual, int n)
    {
        var expectedTop = expected.Top(n).Select(e => $"{e.Total} {e.Tag}");
        var actualTop = actual.Top(n).Select(e => $"{e.Total} {e.Hashtag}");
        Assert.Equal(expectedTop, actualTop);
    }
}
