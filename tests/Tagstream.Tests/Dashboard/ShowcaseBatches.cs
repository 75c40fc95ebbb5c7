using System.Text;
using Tagstream.Query;
using Tagstream.Streaming;

namespace Tagstream.Tests.Dashboard;

/// <summary>
/// A small, seeded stream of football hashtags (some non-Latin) counted exactly, batch by batch: what the browser
/// test shows and screenshots.
/// </summary>
internal sealed class ShowcaseBatches
{
    private static readonly string[] Vocabulary =
    [
        "football", "worldcup", "messi", "ronaldo", "goal", "premierleague", "laliga", "サッカー", "championsleague",
        "fifa", "ucl", "mbappé", "haaland", "arsenal", "chelsea", "manutd", "liverpool", "barcelona", "realmadrid",
        "bundesliga", "seriea", "축구", "футбол", "fútbol", "var", "transfernews",
    ];

    private readonly Random _random = new(20261126);
    private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);
    private long _batch;
    private long _totalPosts;
    private long _totalTags;

    /// <summary>Counts one more batch of posts and returns its result, ranked as the counter ranks.</summary>
    public BatchResult Next(DateTimeOffset time)
    {
        _batch++;
        var posts = _random.Next(200, 400);
        long tags = 0;
        for (var post = 0; post < posts; post++)
        {
            var count = _random.Next(1, 4);
            for (var i = 0; i < count; i++)
            {
                // Squaring skews the draw toward the head of the list, like a Zipf stream.
                var index = (int)(Math.Pow(_random.NextDouble(), 2) * Vocabulary.Length);
                _totals[Vocabulary[index]] = _totals.GetValueOrDefault(Vocabulary[index]) + 1;
                tags++;
            }
        }

        _totalPosts += posts;
        _totalTags += tags;
        var top = _totals
            .OrderByDescending(static pair => pair.Value)
            .ThenBy(static pair => Encoding.UTF8.GetBytes(pair.Key), Utf8Order.Instance)
            .Take(20)
            .Select(static pair => new HashtagCount(pair.Key, pair.Value))
            .ToArray();
        return new BatchResult(_batch, time, "synthetic", posts, tags, _totalPosts, _totalTags, Malformed: 0, _totals.Count, top);
    }

    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
