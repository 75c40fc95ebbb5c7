using System.Globalization;
using System.Text.Json;

namespace Tagstream.Sources.Parsing;

/// <summary>
/// Reads legacy Twitter API v1.1 status lines, as found in archived tweet dumps: one status object per line, with
/// <c>delete</c>, <c>limit</c> and other notice lines mixed in.
/// </summary>
internal static class TwitterV11Parser
{
    /// <summary>The format in which v1.1 wrote <c>created_at</c>, for example <c>Thu May 10 17:41:57 +0000 2018</c>.</summary>
    private const string CreatedAtFormat = "ddd MMM dd HH:mm:ss zzz yyyy";

    /// <summary>Notice lines of the v1.1 streaming API that carry no status (skipped as other events).</summary>
    private static readonly string[] Notices =
        ["scrub_geo", "status_withheld", "user_withheld", "disconnect", "warning", "friends", "event", "control"];

    /// <summary>Reads one line.</summary>
    /// <param name="line">The UTF-8 line.</param>
    /// <returns>
    /// A post (hashtags from <c>extended_tweet.entities</c> when <c>truncated</c>, else <c>entities</c>, else extracted
    /// from the unescaped text; author = <c>user.screen_name</c>); a skip for blank, <c>delete</c>, <c>limit</c> and other
    /// notice lines; or malformed.
    /// </returns>
    public static ParseOutcome Parse(ReadOnlyMemory<byte> line) =>
        JsonFields.IsBlank(line.Span) ? ParseOutcome.Skipped(SkipReason.KeepAlive) : JsonFields.Parse(line, Read);

    private static ParseOutcome Read(JsonElement root)
    {
        if (root.TryGetProperty("delete", out _))
        {
            return ParseOutcome.Skipped(SkipReason.Delete);
        }

        if (root.TryGetProperty("limit", out _))
        {
            return ParseOutcome.Skipped(SkipReason.Limit);
        }

        foreach (var notice in Notices)
        {
            if (root.TryGetProperty(notice, out _))
            {
                return ParseOutcome.Skipped(SkipReason.OtherEvent, $"v1.1 {notice} notice");
            }
        }

        var id = root.TryGetProperty("id_str", out _)
            ? JsonFields.RequiredString(root, "id_str", "id_str")
            : JsonFields.RequiredId(root, "id", "id");
        var text = JsonFields.String(root, "full_text", "full_text") ?? JsonFields.String(root, "text", "text");
        var owner = root;
        var path = string.Empty;
        if (JsonFields.Boolean(root, "truncated", "truncated") == true
            && JsonFields.Object(root, "extended_tweet", "extended_tweet") is { } extended)
        {
            owner = extended;
            path = "extended_tweet.";
            text = JsonFields.String(extended, "full_text", "extended_tweet.full_text") ?? text;
        }

        var unescaped = text is null ? null : HtmlText.UnescapeX(text);
        var tags = JsonFields.Object(owner, "entities", path + "entities") is { } entities
            ? JsonFields.Array(entities, "hashtags", path + "entities.hashtags") is { } hashtags
                ? PostHashtags.FromEntities(hashtags, "text", path + "entities.hashtags")
                : []
            : PostHashtags.FromText(unescaped);
        var author = JsonFields.Object(root, "user", "user") is { } user
            ? JsonFields.String(user, "screen_name", "user.screen_name")
            : null;
        var post = new Post(
            XApiV2Parser.SourceName,
            id,
            author,
            JsonFields.String(root, "lang", "lang"),
            CreatedAt(root),
            tags);
        return ParseOutcome.ForPost(post, unescaped);
    }

    private static DateTimeOffset? CreatedAt(JsonElement root)
    {
        if (DateTimeOffset.TryParseExact(JsonFields.String(root, "created_at", "created_at"), CreatedAtFormat,
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var createdAt))
        {
            return createdAt;
        }

        return long.TryParse(JsonFields.String(root, "timestamp_ms", "timestamp_ms"), NumberStyles.None,
                CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;
    }
}
