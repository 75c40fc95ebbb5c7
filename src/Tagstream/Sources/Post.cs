namespace Tagstream.Sources;

/// <summary>One social post, reduced to what Tagstream needs.</summary>
/// <param name="Source">The source it came from, for example <c>synthetic</c>, <c>x</c> or <c>bluesky</c>.</param>
/// <param name="Id">The source's identifier of the post.</param>
/// <param name="Author">The author's display or screen name, when the source gives one.</param>
/// <param name="Language">The post's language tag (BCP 47), when known.</param>
/// <param name="CreatedAt">When the post was created, when known.</param>
/// <param name="Hashtags">The post's hashtags, normalised (NFC, lower-case invariant, no <c>#</c>), in order, duplicates kept.</param>
public sealed record Post(
    string Source,
    string Id,
    string? Author,
    string? Language,
    DateTimeOffset? CreatedAt,
    IReadOnlyList<string> Hashtags);
