using Tagstream.Query;

namespace Tagstream.Streaming;

/// <summary>What one closed batch produced: its figures and the rankings after it.</summary>
/// <param name="Batch">The batch number, counting from 1 for the first batch of this run (or after the recovered one).</param>
/// <param name="Time">When the batch closed (processing time), in UTC.</param>
/// <param name="Source">The name of the source being counted.</param>
/// <param name="Posts">Posts (lines) counted in this batch.</param>
/// <param name="Tags">Hashtag occurrences counted in this batch.</param>
/// <param name="TotalPosts">Posts counted since the start.</param>
/// <param name="TotalTags">Hashtag occurrences counted since the start.</param>
/// <param name="Malformed">Malformed input seen since the start: skipped tokens and over-long lines.</param>
/// <param name="DistinctTags">Distinct hashtags counted since the start.</param>
/// <param name="Top">The all-time ranking: total descending, then hashtag ascending by UTF-8 bytes.</param>
public sealed record BatchResult(
    long Batch,
    DateTimeOffset Time,
    string Source,
    long Posts,
    long Tags,
    long TotalPosts,
    long TotalTags,
    long Malformed,
    long DistinctTags,
    IReadOnlyList<HashtagCount> Top);
