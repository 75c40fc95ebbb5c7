using System.Buffers;
using System.Text.Json;
using Tagstream.Query;
using Tagstream.Streaming;

namespace Tagstream.Sinks;

/// <summary>
/// The one JSON form of a batch, shared by <see cref="JsonLinesSink"/> and any host that serves batches as JSON:
/// <c>{"time":"...Z","batch":n,"source":"...","posts":n,"tags":n,"total_posts":n,"total_tags":n,"malformed":n,
/// "distinct_tags":n,"top":[{"hashtag":"...","total":n},...]}</c>. Times are ISO 8601 in UTC. Views the job has are
/// added: <c>"window":[...]</c>, <c>"trending":[{"hashtag","window_count","total","expected","score"},...]</c>,
/// <c>"sql":{"columns":[...],"rows":[[...],...],"error":...}</c>; with a bounded summary, <c>"approximate":true</c>
/// and an <c>"error"</c> bound on every ranked total (the true count lies in [total - error, total]).
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
        if (batch.Approximate)
        {
            writer.WriteBoolean("approximate", true);
        }

        WriteRanking(writer, "top", batch.Top, batch.Approximate);
        if (batch.Window is { } window)
        {
            WriteRanking(writer, "window", window, approximate: false);
        }

        if (batch.Trending is { } trending)
        {
            writer.WriteStartArray("trending");
            foreach (TrendingHashtag entry in trending)
            {
                writer.WriteStartObject();
                writer.WriteString("hashtag", entry.Hashtag);
                writer.WriteNumber("window_count", entry.WindowCount);
                writer.WriteNumber("total", entry.Total);
                writer.WriteNumber("expected", Math.Round(entry.Expected, 3));
                writer.WriteNumber("score", Math.Round(entry.Score, 3));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (batch.Sql is { } sql)
        {
            WriteSql(writer, sql);
        }

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

    private static void WriteSql(Utf8JsonWriter writer, SqlQueryResult sql)
    {
        writer.WriteStartObject("sql");
        writer.WriteStartArray("columns");
        foreach (string column in sql.Columns)
        {
            writer.WriteStringValue(column);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("rows");
        foreach (IReadOnlyList<object?> row in sql.Rows)
        {
            writer.WriteStartArray();
            foreach (object? value in row)
            {
                switch (value)
                {
                    case null: writer.WriteNullValue(); break;
                    case long number: writer.WriteNumberValue(number); break;
                    case double number: writer.WriteNumberValue(number); break;
                    case byte[] blob: writer.WriteBase64StringValue(blob); break;
                    default: writer.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        if (sql.Error is { } error)
        {
            writer.WriteString("error", error);
        }

        writer.WriteEndObject();
    }

    private static void WriteRanking(Utf8JsonWriter writer, string name, IReadOnlyList<HashtagCount> ranking, bool approximate)
    {
        writer.WriteStartArray(name);
        foreach (HashtagCount entry in ranking)
        {
            writer.WriteStartObject();
            writer.WriteString("hashtag", entry.Hashtag);
            writer.WriteNumber("total", entry.Total);
            if (approximate)
            {
                writer.WriteNumber("error", entry.Error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
