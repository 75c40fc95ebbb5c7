using System.Text.Json;

namespace Tagstream.Tests.Cluster;

/// <summary>The ranking of a jsonl batch as (hashtag, total) pairs, to compare with the naive reference's.</summary>
internal static class JsonRanking
{
    public static List<(string Tag, long Total)> Of(JsonElement batch) =>
        [
            .. batch.GetProperty("top").EnumerateArray()
                .Select(e => (e.GetProperty("hashtag").GetString()!, e.GetProperty("total").GetInt64())),
        ];
}
