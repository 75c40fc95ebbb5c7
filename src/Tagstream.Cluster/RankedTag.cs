namespace Tagstream.Cluster;

/// <summary>A hashtag and its total in a committed batch's ranking.</summary>
/// <param name="Hashtag">The hashtag, as sent.</param>
/// <param name="Total">Its total after the batch.</param>
internal sealed record RankedTag(string Hashtag, long Total);
