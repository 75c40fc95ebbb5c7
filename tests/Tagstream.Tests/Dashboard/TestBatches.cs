using Tagstream.Streaming;
using Xunit;

namespace Tagstream.Tests.Dashboard;

/// <summary>Batches with made-up but consistent figures, standing in for the counter.</summary>
internal static class TestBatches
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 13, 0, 0, TimeSpan.Zero);

    /// <summary>Batch <paramref name="number"/> of a stream where tag i has been seen (number * (count - i)) times.</summary>
    public static BatchResult Make(long number, int count = 20, string prefix = "tag")
    {
        var top = Enumerable.Range(0, count)
            .Select(i => new HashtagCount($"{prefix}{i:D2}", number * (count - i)))
            .ToArray();
        var tags = top.Sum(static entry => entry.Total);
        return new BatchResult(
            Batch: number,
            Time: Start.AddSeconds(number),
            Source: "synthetic",
            Posts: 10 * count,
            Tags: tags / number,
            TotalPosts: number * 10 * count,
            TotalTags: tags,
            Malformed: number,
            DistinctTags: count,
            Top: top);
    }
}
