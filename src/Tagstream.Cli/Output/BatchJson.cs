using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tagstream.Query;
using Tagstream.Streaming;

namespace Tagstream.Cli.Output;

/// <summary>
/// The one JSON form of a batch: a line of <c>count --output jsonl</c>, the body of <c>GET /api/top</c> and the data
/// of each <c>GET /api/stream</c> event. Times are ISO 8601 UTC (docs/DESIGN.md, "Time").
/// </summary>
internal static class BatchJson
{
    // Hashtags are written as they are (no \uXXXX for non-ASCII) so that a jsonl line is readable; the writer still
    // escapes quotes, backslashes and control characters, so a line never breaks and an SSE data field stays one line.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="batch"/> with <paramref name="top"/> as its ranking, without a line end.</summary>
    public static void Write(IBufferWriter<byte> output, BatchResult batch, IReadOnlyList<HashtagCount> top)
    {
        using var writer = new Utf8JsonWriter(output, Options);
        writer.WriteStartObject();
        writer.WriteString("time"u8, batch.Time.UtcDateTime);
        writer.WriteNumber("batch"u8, batch.Batch);
        writer.WriteString("source"u8, batch.Source);
        writer.WriteNumber("posts"u8, batch.Posts);
        writer.WriteNumber("tags"u8, batch.Tags);
        writer.WriteNumber("total_posts"u8, batch.TotalPosts);
        writer.WriteNumber("total_tags"u8, batch.TotalTags);
        writer.WriteNumber("malformed"u8, batch.Malformed);
        writer.WriteNumber("distinct_tags"u8, batch.DistinctTags);
        writer.WriteStartArray("top"u8);
        foreach (var entry in top)
        {
            writer.WriteStartObject();
            writer.WriteString("hashtag"u8, entry.Hashtag);
            writer.WriteNumber("total"u8, entry.Total);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The batch with its all-time ranking, as UTF-8 bytes.</summary>
    public static byte[] ToUtf8(BatchResult batch, IReadOnlyList<HashtagCount> top)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (top.Count * 48));
        Write(buffer, batch, top);
        return buffer.WrittenSpan.ToArray();
    }
}
