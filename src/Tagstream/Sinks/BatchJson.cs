using System.Buffers;
using System.Text.Json;
using Tagstream.Query;
using Tagstream.Streaming;

namespace Tagstream.Sinks;

/// <summary>
/// The one JSON form of a batch, shared by <c>count --output jsonl</c> and the dashboard's API:
/// <c>{"time":"...Z","batch":n,"source":"...","posts":n,"tags":n,"total_posts":n,"total_tags":n,"malformed":n,
/// "distinct_tags":n,"top":[{"hashtag":"...","total":n},...]}</c>. Times are ISO 8601 in UTC.
/// </summary>
public static class BatchJson
{
    /// <summary>Writes one batch as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, BatchResult batch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(batch);
        writer.WriteStartObject();
        writer.WriteString("time", batch.Time.UtcDateTime);
        writer.WriteNumber("batch", batch.Batch);
        writer.WriteString("source", batch.Source);
        writer.WriteNumber("posts", batch.Posts);
        writer.WriteNumber("tags", batch.Tags);
        writer.WriteNumber("total_posts", batch.TotalPosts);
        writer.WriteNumber("total_tags", batch.TotalTags);
        writer.WriteNumber("malformed", batch.Malformed);
        writer.WriteNumber("distinct_tags", batch.DistinctTags);
        WriteRanking(writer, "top", batch.Top);
        writer.WriteEndObject();
    }

    /// <summary>One batch as UTF-8 JSON, without a line break.</summary>
    public static byte[] Serialize(BatchResult batch)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, batch);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRanking(Utf8JsonWriter writer, string name, IReadOnlyList<HashtagCount> ranking)
    {
        writer.WriteStartArray(name);
        foreach (HashtagCount entry in ranking)
        {
            writer.WriteStartObject();
            writer.WriteString("hashtag", entry.Hashtag);
            writer.WriteNumber("total", entry.Total);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
