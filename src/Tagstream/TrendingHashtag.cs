namespace Tagstream;

/// <summary>A hashtag in the trending ranking (docs/trending.md).</summary>
/// <param name="Hashtag">The hashtag, without <c>#</c>.</param>
/// <param name="WindowCount">Occurrences in the window.</param>
/// <param name="Total">Occurrences since the start.</param>
/// <param name="Expected">The occurrences its rate before the window predicts for a window's length.</param>
/// <param name="Score">(WindowCount + a) / (Expected + a): how many times above its usual rate it runs now.</param>
public sealed record TrendingHashtag(string Hashtag, long WindowCount, long Total, double Expected, double Score);
