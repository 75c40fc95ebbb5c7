using System.Text.Json;
using Tagstream.Hashtags;

namespace Tagstream.Sources.Parsing;

/// <summary>
/// Reads Bluesky Jetstream events (<c>/subscribe?wantedCollections=app.bsky.feed.post</c>,
/// https://github.com/bluesky-social/jetstream): one JSON object per WebSocket text frame.
/// </summary>
internal static class JetstreamParser
{
    /// <summary>The <see cref="Post.Source"/> of Bluesky posts.</summary>
    public const string SourceName = "bluesky";

    private const string PostCollection = "app.bsky.feed.post";
    private const string TagFeature = "app.bsky.richtext.facet#tag";

    /// <summary>Reads one event.</summary>
    /// <param name="message">The UTF-8 JSON of one WebSocket text message (or one line of a recording).</param>
    /// <returns>
    /// A post for a <c>create</c> commit of <c>app.bsky.feed.post</c> (hashtags from the record's tag facets in text order,
    /// cashtags starting with <c>$</c> left out, else extracted from the text when the record has no facets; author = the
    /// DID; id = the post's <c>at://</c> URI); a skip for deletes, updates, other collections, <c>account</c> and
    /// <c>identity</c> events; or malformed. <see cref="ParseOutcome.Cursor"/> carries <c>time_us</c> whenever the event
    /// has one, so a live source can resume after every event, skipped or not.
    /// </returns>
    public static ParseOutcome Parse(ReadOnlyMemory<byte> message) =>
        JsonFields.IsBlank(message.Span) ? ParseOutcome.Skipped(SkipReason.KeepAlive) : JsonFields.Parse(message, Read);

    private static ParseOutcome Read(JsonElement root)
    {
        long? cursor = null;
        try
        {
            cursor = JsonFields.Int64(root, "time_us", "time_us");
            return Read(root, cursor);
        }
        catch (MalformedRecordException exception)
        {
            return ParseOutcome.Malformed(exception.Message, cursor);
        }
    }

    private static ParseOutcome Read(JsonElement root, long? cursor)
    {
        var kind = JsonFields.RequiredString(root, "kind", "kind");
        switch (kind)
        {
            case "commit":
                break;
            case "account":
                return ParseOutcome.Skipped(SkipReason.AccountEvent, cursor: cursor);
            case "identity":
                return ParseOutcome.Skipped(SkipReason.IdentityEvent, cursor: cursor);
            default:
                return ParseOutcome.Skipped(SkipReason.OtherEvent, "Jetstream event of another kind", cursor);
        }

        var did = JsonFields.RequiredString(root, "did", "did");
        var commit = JsonFields.Object(root, "commit", "commit") ?? throw new MalformedRecordException("missing commit");
        var operation = JsonFields.RequiredString(commit, "operation", "commit.operation");
        var collection = JsonFields.RequiredString(commit, "collection", "commit.collection");
        if (operation == "delete")
        {
            return ParseOutcome.Skipped(SkipReason.Delete, cursor: cursor);
        }

        if (operation != "create" || collection != PostCollection)
        {
            return ParseOutcome.Skipped(SkipReason.OtherEvent, "Jetstream commit other than a post create", cursor);
        }

        var rkey = JsonFields.RequiredString(commit, "rkey", "commit.rkey");
        var record = JsonFields.Object(commit, "record", "commit.record") ?? throw new MalformedRecordException("missing commit.record");
        var text = JsonFields.String(record, "text", "commit.record.text");
        var tags = JsonFields.Array(record, "facets", "commit.record.facets") is { } facets
            ? TagFacets(facets)
            : PostHashtags.FromText(text);
        var language = JsonFields.Array(record, "langs", "commit.record.langs") is { } langs
            && langs.GetArrayLength() > 0 && langs[0].ValueKind == JsonValueKind.String
            ? langs[0].GetString()
            : null;
        var post = new Post(
            SourceName,
            $"at://{did}/{collection}/{rkey}",
            did,
            language,
            JsonFields.IsoDate(record, "createdAt", "commit.record.createdAt"),
            tags);
        return ParseOutcome.ForPost(post, text, cursor);
    }

    /// <summary>The tags of the facets, in the order of their byte offsets in the text (facets need not be sorted).</summary>
    private static List<string> TagFacets(JsonElement facets)
    {
        var found = new List<(long Start, int Order, string Tag)>();
        foreach (var facet in JsonFields.Objects(facets, "commit.record.facets"))
        {
            var start = JsonFields.Object(facet, "index", "commit.record.facets[].index") is { } index
                ? JsonFields.Int64(index, "byteStart", "commit.record.facets[].index.byteStart") ?? 0
                : 0;
            if (JsonFields.Array(facet, "features", "commit.record.facets[].features") is not { } features)
            {
                continue;
            }

            foreach (var feature in JsonFields.Objects(features, "commit.record.facets[].features"))
            {
                if (JsonFields.String(feature, "$type", "commit.record.facets[].features[].$type") != TagFeature)
                {
                    continue;
                }

                var raw = JsonFields.RequiredString(feature, "tag", "commit.record.facets[].features[].tag");
                // Since 2026 clients also write cashtags ($AAPL) as tag facets: they are not hashtags.
                if (!raw.StartsWith('$') && HashtagNormalizer.TryNormalizeEntity(raw, out var tag))
                {
                    found.Add((start, found.Count, tag));
                }
            }
        }

        found.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Order.CompareTo(b.Order));
        return found.ConvertAll(static f => f.Tag);
    }
}
