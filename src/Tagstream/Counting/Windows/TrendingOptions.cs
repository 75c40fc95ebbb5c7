namespace Tagstream.Counting.Windows;

/// <summary>The constants of the trending score (docs/trending.md).</summary>
public sealed record TrendingOptions
{
    /// <summary>
    /// The smoothing a added to both sides of the ratio, so that a hashtag seen twice where none was expected does not
    /// outrank one seen 500 times where 50 were expected. The default is 10.
    /// </summary>
    public double Smoothing { get; init; } = 10;

    /// <summary>The minimum window count to be ranked at all (minimum support). The default is 5.</summary>
    public long MinimumWindowCount { get; init; } = 5;
}
