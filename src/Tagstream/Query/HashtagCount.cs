namespace Tagstream.Query;

/// <summary>A hashtag and its count, as shown in a ranking.</summary>
/// <param name="Hashtag">The hashtag, without <c>#</c>.</param>
/// <param name="Total">Occurrences counted.</param>
public sealed record HashtagCount(string Hashtag, long Total);
