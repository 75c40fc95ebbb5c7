namespace Tagstream.State;

/// <summary>The running figures committed with a batch, so that a restart continues them.</summary>
/// <param name="Posts">Posts (lines) counted since the start.</param>
/// <param name="Tags">Hashtag occurrences counted since the start.</param>
/// <param name="Malformed">Malformed input skipped since the start.</param>
internal readonly record struct CheckpointCounters(long Posts, long Tags, long Malformed);
