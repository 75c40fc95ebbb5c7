namespace Tagstream.Counting.Windows;

/// <summary>Returns a hashtag's all-time total (the counting table's lookup).</summary>
/// <param name="hashtag">The hashtag in UTF-8.</param>
internal delegate long HashtagTotalLookup(ReadOnlySpan<byte> hashtag);
