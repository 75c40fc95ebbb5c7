using System.Text.Json;

namespace Tagstream.Sources.Parsing;

/// <summary>
/// Reads the lines of the X API v2 filtered stream (<c>GET /2/tweets/search/stream</c>,
/// https://docs.x.com/x-api/posts/filtered-stream/introduction): a post object, a keep-alive blank line, or an error object.
/// </summary>
internal static class XApiV2Parser
{
    /// <summary>The <see cref="Post.Source"/> of X posts.</summary>
    public const string SourceName = "x";

    /// <summary>Reads one line of the stream (without or with its <c>\r\n</c>).</summary>
    /// <param name="line">The UTF-8 line.</param>
    /// <returns>
    /// A post (hashtags from <c>note_tweet.entities</c> for long posts, else <c>data.entities</c>, else extracted from the
    /// unescaped text; author = the <c>username</c> from <c>includes.users</c> when the stream was asked for
    /// <c>expansions=author_id</c>); a keep-alive skip for a blank line; a stream error for an error object without
    /// <c>data</c>; or malformed.
    /// </returns>
    public static ParseOutcome Parse(ReadOnlyMemory<byte> line) =>
        JsonFields.IsBlank(line.Span) ? ParseOutcome.Skipped(SkipReason.KeepAlive) : JsonFields.Parse(line, Read);

    private static ParseOutcome Read(JsonElement root)
    {
        if (JsonFields.Object(root, "data", "data") is not { } data)
        {
            // A line with data and errors is a post with partial errors (say, an author that could not be expanded).
            return JsonFields.Array(root, "errors", "errors") is { } errors && errors.GetArrayLength() > 0
                ? ParseOutcome.ForError(ReadError(errors[0]))
                : throw new MalformedRecordException("neither data nor errors");
        }

        var id = JsonFields.RequiredString(data, "id", "data.id");
        var text = JsonFields.String(data, "text", "data.text");
        List<string> tags;
        if (JsonFields.Object(data, "note_tweet", "data.note_tweet") is { } note)
        {
            text = JsonFields.String(note, "text", "data.note_tweet.text") ?? text;
            tags = Hashtags(note, "data.note_tweet", text);
        }
        else
        {
            tags = Hashtags(data, "data", text);
        }

        var post = new Post(
            SourceName,
            id,
            Author(root, JsonFields.String(data, "author_id", "data.author_id")),
            JsonFields.String(data, "lang", "data.lang"),
            JsonFields.IsoDate(data, "created_at", "data.created_at"),
            tags);
        return ParseOutcome.ForPost(post, text is null ? null : HtmlText.UnescapeX(text));
    }

    private static List<string> Hashtags(JsonElement owner, string path, string? text)
    {
        // X leaves out entities (and an empty hashtags array) when a post has none: entities present means "trust them".
        if (JsonFields.Object(owner, "entities", path + ".entities") is { } entities)
        {
            return JsonFields.Array(entities, "hashtags", path + ".entities.hashtags") is { } hashtags
                ? PostHashtags.FromEntities(hashtags, "tag", path + ".entities.hashtags")
                : [];
        }

        return PostHashtags.FromText(text is null ? null : HtmlText.UnescapeX(text));
    }

    private static string? Author(JsonElement root, string? authorId)
    {
        if (authorId is null
            || JsonFields.Object(root, "includes", "includes") is not { } includes
            || JsonFields.Array(includes, "users", "includes.users") is not { } users)
        {
            return null;
        }

        foreach (var user in JsonFields.Objects(users, "includes.users"))
        {
            if (JsonFields.String(user, "id", "includes.users[].id") == authorId)
            {
                return JsonFields.String(user, "username", "includes.users[].username")
                    ?? JsonFields.String(user, "name", "includes.users[].name");
            }
        }

        return null;
    }

    private static StreamError ReadError(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedRecordException("errors[] is not an object");
        }

        return new StreamError(
            JsonFields.String(error, "title", "errors[].title") ?? "error",
            JsonFields.String(error, "type", "errors[].type"),
            JsonFields.String(error, "detail", "errors[].detail"),
            JsonFields.String(error, "disconnect_type", "errors[].disconnect_type")
                ?? JsonFields.String(error, "connection_issue", "errors[].connection_issue"));
    }
}
