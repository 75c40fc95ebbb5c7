namespace Tagstream.Sources.Live.X;

/// <summary>One of the app's filtered-stream rules, as <c>GET /2/tweets/search/stream/rules</c> lists it.</summary>
internal sealed record XStreamRule(string Id, string Value, string? Tag);
