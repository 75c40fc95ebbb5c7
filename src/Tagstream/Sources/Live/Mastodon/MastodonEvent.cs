namespace Tagstream.Sources.Live.Mastodon;

/// <summary>One streaming event, the same from SSE and WebSocket.</summary>
/// <param name="Name">The event: <c>update</c>, <c>delete</c>, <c>status.update</c>, ...</param>
/// <param name="Data">Its payload: a Status as JSON for <c>update</c>, a bare id for <c>delete</c>.</param>
internal sealed record MastodonEvent(string Name, string Data);
