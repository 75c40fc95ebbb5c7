using System.Text.Json;
using Tagstream.Sources.Synthetic;
using Tagstream.Tests.Cli;
using Tagstream.Tests.Counting;
using Xunit;

namespace Tagstream.Tests.Cluster;

/// <summary>What the cluster tests count (a replay file of the seeded synthetic stream) and how they read the result.</summary>
internal static class ClusterInput
{
    /// <summary>Writes the stream's first <paramref name="posts"/> lines (2000 hashtags) to a file; returns it and the naive reference.</summary>
    public static async Task<(string File, NaiveReference Reference)> WriteAsync(string folder, int seed, int posts)
    {
        byte[][] lines = await SyntheticReference.LinesAsync(new SyntheticOptions { Seed = (ulong)seed, Vocabulary = 2000 }, posts);
        string file = Path.Combine(folder, "posts.txt");
        await File.WriteAllBytesAsync(file, [.. lines.SelectMany(l => l)], TestContext.Current.CancellationToken);
        return (file, SyntheticReference.Count(lines));
    }

    /// <summary>The ranking of a jsonl batch as (hashtag, total) pairs, to compare with the naive reference's.</summary>
    public static List<(string Tag, long Total)> Ranking(JsonElement batch) =>
        [
            .. batch.GetProperty("top").EnumerateArray()
                .Select(e => (e.GetProperty("hashtag").GetString()!, e.GetProperty("total").GetInt64())),
        ];
}
