using System.Text;
using System.Text.Json;

namespace Tagstream.Sources.Parsing;

/// <summary>
/// Reads Mastodon streaming events (https://docs.joinmastodon.org/methods/streaming/) in both framings: Server-Sent
/// Events (an event name and its data) and WebSocket messages (a JSON object whose <c>payload</c> is a JSON string).
/// </summary>
internal static class MastodonParser
{
    /// <summary>The <see cref="Post.Source"/> of Mastodon posts.</summary>
    public const string SourceName = "mastodon";

    /// <summary>Reads one SSE event, framed by <see cref="SseEventAssembler"/>.</summary>
    /// <param name="sseEvent">The event (a comment such as <c>:thump</c> is a heartbeat skip).</param>
    /// <returns>A post for <c>update</c>; a skip for heartbeats, <c>delete</c> and other events; or malformed.</returns>
    public static ParseOutcome ParseSseEvent(SseEvent sseEvent)
    {
        if (sseEvent.IsComment)
        {
            return ParseOutcome.Skipped(SkipReason.Heartbeat);
        }

        return sseEvent.EventName switch
        {
            "update" => ParseStatus(sseEvent.Data),
            "delete" => ParseOutcome.Skipped(SkipReason.Delete),
            // An SSE event without a name is a "message" (https://html.spec.whatwg.org/multipage/server-sent-events.html).
            _ => ParseOutcome.Skipped(SkipReason.OtherEvent, "Mastodon event " + Printable(sseEvent.EventName ?? "message")),
        };
    }

    /// <summary>Reads one WebSocket text message: <c>{"stream":[...],"event":"update","payload":"{...status...}"}</c>.</summary>
    /// <param name="message">The UTF-8 JSON message.</param>
    public static ParseOutcome ParseWebSocketMessage(ReadOnlyMemory<byte> message) =>
        JsonFields.IsBlank(message.Span) ? ParseOutcome.Skipped(SkipReason.KeepAlive) : JsonFields.Parse(message, ReadMessage);

    /// <summary>Reads one Status entity (https://docs.joinmastodon.org/entities/Status/).</summary>
    /// <param name="status">The UTF-8 JSON of the status.</param>
    /// <returns>
    /// A post: hashtags from <c>tags[].name</c>, or for a boost from <c>reblog.tags</c>, or extracted from the content's
    /// text when the status has no <c>tags</c>; author = <c>account.acct</c>; or malformed.
    /// </returns>
    public static ParseOutcome ParseStatus(ReadOnlyMemory<byte> status) => JsonFields.Parse(status, ReadStatus);

    private static ParseOutcome ReadMessage(JsonElement root)
    {
        var eventName = JsonFields.RequiredString(root, "event", "event");
        switch (eventName)
        {
            case "update":
                var payload = JsonFields.RequiredString(root, "payload", "payload");
                return JsonFields.Parse(Encoding.UTF8.GetBytes(payload), ReadStatus) is var inner && inner.Kind == ParseOutcomeKind.Malformed
                    ? ParseOutcome.Malformed("payload: " + inner.Problem)
                    : inner;
            case "delete":
                return ParseOutcome.Skipped(SkipReason.Delete);
            default:
                return ParseOutcome.Skipped(SkipReason.OtherEvent, "Mastodon event " + Printable(eventName));
        }
    }

    private static ParseOutcome ReadStatus(JsonElement status)
    {
        var id = JsonFields.RequiredString(status, "id", "id");
        var account = JsonFields.Object(status, "account", "account");
        var author = account is { } a ? JsonFields.String(a, "acct", "account.acct") ?? JsonFields.String(a, "username", "account.username") : null;

        // A boost has empty content and tags of its own: the boosted status carries them.
        var reblog = JsonFields.Object(status, "reblog", "reblog");
        var source = reblog ?? status;
        var path = reblog is null ? string.Empty : "reblog.";
        var content = JsonFields.String(source, "content", path + "content");
        var text = content is null ? null : HtmlText.MastodonContentToText(content);
        var tags = JsonFields.Array(source, "tags", path + "tags") is { } tagArray
            ? PostHashtags.FromEntities(tagArray, "name", path + "tags")
            : PostHashtags.FromText(text);
        var post = new Post(
            SourceName,
            id,
            author,
            JsonFields.String(status, "language", "language") ?? JsonFields.String(source, "language", path + "language"),
            JsonFields.IsoDate(status, "created_at", "created_at"),
            tags);
        return ParseOutcome.ForPost(post, text);
    }

    /// <summary>Keeps event names from a hostile server short and on one line, since they end up in problem messages.</summary>
    private static string Printable(string name) =>
        name.Length <= 40 && !name.AsSpan().ContainsAnyInRange('\0', ' ') ? name : "(unprintable)";
}
