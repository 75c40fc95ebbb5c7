namespace Tagstream.Tests.Sources.Parsing;

/// <summary>A random post and the truth about it: where each tag is written, and the hashtags a parser must return.</summary>
/// <param name="Id">The post's id.</param>
/// <param name="Text">The raw text, with each tag at its span.</param>
/// <param name="Tags">Each tag's UTF-16 span (hash sign included) and its text as written.</param>
/// <param name="Truth">The normalised hashtags, in order.</param>
/// <param name="CreatedAt">The post's time.</param>
internal sealed record GeneratedPost(
    string Id,
    string Text,
    IReadOnlyList<(int Start, int Length, string Raw)> Tags,
    IReadOnlyList<string> Truth,
    DateTimeOffset CreatedAt);
