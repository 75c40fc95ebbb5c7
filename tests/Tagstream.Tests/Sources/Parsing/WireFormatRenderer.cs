using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Tagstream.Sources.Parsing;

namespace Tagstream.Tests.Sources.Parsing;

/// <summary>
/// Writes generated posts in each wire format, the way each service frames them, with skips mixed in (keep-alives,
/// deletes, heartbeats, account events) and, at random, without entities (so parsers fall back to the text), as long
/// posts (X note_tweet, v1.1 extended_tweet), boosts (Mastodon) and with cashtag facets (Bluesky).
/// </summary>
internal static class WireFormatRenderer
{
    public static byte[] Render(PostFormat format, IReadOnlyList<GeneratedPost> posts, PostGenerator generator)
    {
        var output = new MemoryStream();
        foreach (var post in posts)
        {
            switch (format)
            {
                case PostFormat.Protocol:
                    Line(output, string.Join(' ', post.Truth));
                    break;
                case PostFormat.Text:
                    Line(output, post.Text);
                    break;
                case PostFormat.JsonlText:
                    Line(output, JsonSerializer.Serialize(post.Text));
                    break;
                case PostFormat.XApiV2:
                    if (generator.Chance(4))
                    {
                        output.Write("\r\n"u8);
                    }

                    Line(output, XApiV2(post, generator), "\r\n");
                    break;
                case PostFormat.TwitterV11:
                    if (generator.Chance(4))
                    {
                        Line(output, """{"delete":{"status":{"id":1,"id_str":"1","user_id":3,"user_id_str":"3"},"timestamp_ms":"1525974118000"}}""", "\r\n");
                    }

                    Line(output, TwitterV11(post, generator), "\r\n");
                    break;
                case PostFormat.Jetstream:
                    if (generator.Chance(4))
                    {
                        Line(output, """{"did":"did:plc:x","time_us":1,"kind":"account","account":{"active":true,"did":"did:plc:x","seq":1,"time":"2026-07-04T14:38:10.000Z"}}""");
                    }

                    Line(output, Jetstream(post, generator));
                    break;
                case PostFormat.MastodonSse:
                    if (generator.Chance(3))
                    {
                        Line(output, ":thump");
                    }

                    Line(output, "event: update");
                    Line(output, "data: " + MastodonStatus(post, generator));
                    Line(output, string.Empty);
                    if (generator.Chance(4))
                    {
                        Line(output, "event: delete\ndata: 1\n");
                    }

                    break;
                case PostFormat.MastodonWebSocket:
                    Line(output, Json(w =>
                    {
                        w.WriteStartArray("stream");
                        w.WriteStringValue("hashtag");
                        w.WriteStringValue("dotnet");
                        w.WriteEndArray();
                        w.WriteString("event", "update");
                        w.WriteString("payload", MastodonStatus(post, generator));
                    }));
                    if (generator.Chance(4))
                    {
                        Line(output, """{"stream":["hashtag","dotnet"],"event":"delete","payload":"1"}""");
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format));
            }
        }

        return output.ToArray();
    }

    private static string XApiV2(GeneratedPost post, PostGenerator generator)
    {
        var withEntities = !generator.Chance(4);
        var isLong = generator.Chance(5);
        return Json(w =>
        {
            w.WriteStartObject("data");
            w.WriteString("id", post.Id);
            w.WriteString("author_id", "42");
            w.WriteString("created_at", post.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("lang", "en");
            if (isLong)
            {
                // The top-level text and entities are a truncated prefix; note_tweet has the whole post.
                var cut = Prefix(post);
                w.WriteString("text", XEscape(post.Text[..cut]));
                XEntities(w, post, "start", "end", "tag", cut);
                w.WriteStartObject("note_tweet");
                w.WriteString("text", XEscape(post.Text));
                if (withEntities)
                {
                    XEntities(w, post, "start", "end", "tag", post.Text.Length);
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteString("text", XEscape(post.Text));
                if (withEntities)
                {
                    XEntities(w, post, "start", "end", "tag", post.Text.Length);
                }
            }

            w.WriteEndObject();
            w.WriteStartObject("includes");
            w.WriteStartArray("users");
            w.WriteStartObject();
            w.WriteString("id", "42");
            w.WriteString("name", "Ann Example");
            w.WriteString("username", "ann");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static string TwitterV11(GeneratedPost post, PostGenerator generator)
    {
        var truncated = generator.Chance(5);
        var withEntities = !generator.Chance(4);
        return Json(w =>
        {
            w.WriteString("created_at", post.CreatedAt.ToString("ddd MMM dd HH:mm:ss +0000 yyyy", CultureInfo.InvariantCulture));
            w.WriteString("id_str", post.Id);
            var cut = truncated ? Prefix(post) : post.Text.Length;
            w.WriteString("text", XEscape(post.Text[..cut]));
            w.WriteBoolean("truncated", truncated);
            if (withEntities || truncated)
            {
                w.WriteStartObject("entities");
                V11Hashtags(w, post, cut);
                w.WriteEndObject();
            }

            if (truncated)
            {
                w.WriteStartObject("extended_tweet");
                w.WriteString("full_text", XEscape(post.Text));
                if (withEntities)
                {
                    w.WriteStartObject("entities");
                    V11Hashtags(w, post, post.Text.Length);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteStartObject("user");
            w.WriteString("screen_name", "ann");
            w.WriteEndObject();
            w.WriteString("lang", "en");
        });
    }

    private static string Jetstream(GeneratedPost post, PostGenerator generator)
    {
        var withFacets = !generator.Chance(4);
        var microseconds = (post.CreatedAt - DateTimeOffset.UnixEpoch).Ticks / 10;
        return Json(w =>
        {
            w.WriteString("did", "did:plc:abcdefghijklmnopqrstuvwx");
            w.WriteNumber("time_us", microseconds);
            w.WriteString("kind", "commit");
            w.WriteStartObject("commit");
            w.WriteString("rev", "3mptbypoove2w");
            w.WriteString("operation", "create");
            w.WriteString("collection", "app.bsky.feed.post");
            w.WriteString("rkey", "r" + post.Id);
            w.WriteStartObject("record");
            w.WriteString("$type", "app.bsky.feed.post");
            w.WriteString("createdAt", post.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            if (withFacets)
            {
                var facets = post.Tags.Select(t => (Start: Utf8Length(post.Text[..t.Start]), End: Utf8Length(post.Text[..(t.Start + t.Length)]), Tag: t.Raw)).ToList();
                if (generator.Chance(3))
                {
                    // A cashtag facet, which is no hashtag; facets need not be in text order.
                    facets.Add((0, 1, "$AAPL"));
                    facets.Reverse();
                }

                w.WriteStartArray("facets");
                foreach (var (start, end, tag) in facets)
                {
                    w.WriteStartObject();
                    w.WriteStartArray("features");
                    w.WriteStartObject();
                    w.WriteString("$type", "app.bsky.richtext.facet#tag");
                    w.WriteString("tag", tag);
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteStartObject("index");
                    w.WriteNumber("byteEnd", end);
                    w.WriteNumber("byteStart", start);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteStartArray("langs");
            w.WriteStringValue("en");
            w.WriteEndArray();
            w.WriteString("text", post.Text);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static string MastodonStatus(GeneratedPost post, PostGenerator generator)
    {
        var withTags = !generator.Chance(4);
        var boost = generator.Chance(5);
        void Status(Utf8JsonWriter w, bool inner)
        {
            w.WriteString("id", inner ? "9" + post.Id : post.Id);
            w.WriteString("created_at", post.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("language", "en");
            w.WriteString("content", boost && !inner ? string.Empty : "<p>" + WebUtility.HtmlEncode(post.Text).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>");
            w.WriteStartObject("account");
            w.WriteString("acct", "ann@example.social");
            w.WriteEndObject();
            if (boost && !inner)
            {
                w.WriteStartObject("reblog");
                Status(w, inner: true);
                w.WriteEndObject();
                w.WriteStartArray("tags");
                w.WriteEndArray();
                return;
            }

            w.WriteNull("reblog");
            if (withTags)
            {
                w.WriteStartArray("tags");
                foreach (var (_, _, raw) in post.Tags)
                {
                    w.WriteStartObject();
                    w.WriteString("name", raw);
                    w.WriteString("url", "https://example.social/tags/x");
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }
        }

        return Json(w => Status(w, inner: false));
    }

    private static void XEntities(Utf8JsonWriter w, GeneratedPost post, string startName, string endName, string tagName, int cut)
    {
        w.WriteStartObject("entities");
        w.WriteStartArray("hashtags");
        foreach (var (start, length, raw) in post.Tags.Where(t => t.Start + t.Length <= cut))
        {
            // X counts offsets in code points.
            w.WriteStartObject();
            w.WriteNumber(startName, CodePoints(post.Text[..start]));
            w.WriteNumber(endName, CodePoints(post.Text[..(start + length)]));
            w.WriteString(tagName, raw);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void V11Hashtags(Utf8JsonWriter w, GeneratedPost post, int cut)
    {
        w.WriteStartArray("hashtags");
        foreach (var (start, length, raw) in post.Tags.Where(t => t.Start + t.Length <= cut))
        {
            w.WriteStartObject();
            w.WriteString("text", raw);
            w.WriteStartArray("indices");
            w.WriteNumberValue(CodePoints(post.Text[..start]));
            w.WriteNumberValue(CodePoints(post.Text[..(start + length)]));
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Where to truncate a long post: just after its first word, so no tag or surrogate pair is cut.</summary>
    private static int Prefix(GeneratedPost post) => post.Text.IndexOf(' ', StringComparison.Ordinal) + 1;

    /// <summary>X escapes exactly these three characters in post text.</summary>
    private static string XEscape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static int CodePoints(string text) => text.EnumerateRunes().Count();

    private static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Line(MemoryStream output, string line, string ending = "\n")
    {
        output.Write(Encoding.UTF8.GetBytes(line));
        output.Write(Encoding.UTF8.GetBytes(ending));
    }
}
