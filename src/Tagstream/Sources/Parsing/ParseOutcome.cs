namespace Tagstream.Sources.Parsing;

/// <summary>
/// The outcome of reading one record of a wire format (one JSON object, one SSE event, one text line): a post, a skip,
/// an in-stream error or a malformed record. Parsers return one for every record and never throw on bad input.
/// </summary>
/// <param name="Kind">What the record was.</param>
/// <param name="Post">The post, when <see cref="Kind"/> is <see cref="ParseOutcomeKind.Post"/>.</param>
/// <param name="SkipReason">Why the record carries no post, when <see cref="Kind"/> is <see cref="ParseOutcomeKind.Skip"/>.</param>
/// <param name="Error">The service's error, when <see cref="Kind"/> is <see cref="ParseOutcomeKind.StreamError"/>.</param>
/// <param name="Problem">
/// For <see cref="ParseOutcomeKind.Post"/>, null unless part of the record was dropped (a bad protocol token).
/// One line without record-specific data (so equal problems compare equal and can be counted together): why a record is
/// malformed, or which other event was skipped.
/// </param>
/// <param name="Text">
/// The post's text, when the format has one: X text with its HTML escapes undone, Bluesky's record text, Mastodon's
/// content with the HTML removed. Live sources match search terms against it.
/// </param>
/// <param name="Cursor">Jetstream's <c>time_us</c> (microseconds since the Unix epoch) on every event that has it, posts or not.</param>
public readonly record struct ParseOutcome(
    ParseOutcomeKind Kind,
    Post? Post,
    SkipReason SkipReason,
    StreamError? Error,
    string? Problem,
    string? Text,
    long? Cursor)
{
    internal static ParseOutcome ForPost(Post post, string? text, long? cursor = null) =>
        new(ParseOutcomeKind.Post, post, SkipReason.None, null, null, text, cursor);

    internal static ParseOutcome Skipped(SkipReason reason, string? problem = null, long? cursor = null) =>
        new(ParseOutcomeKind.Skip, null, reason, null, problem, null, cursor);

    internal static ParseOutcome ForError(StreamError error) =>
        new(ParseOutcomeKind.StreamError, null, SkipReason.None, error, null, null, null);

    internal static ParseOutcome Malformed(string problem, long? cursor = null) =>
        new(ParseOutcomeKind.Malformed, null, SkipReason.None, null, problem, null, cursor);
}
