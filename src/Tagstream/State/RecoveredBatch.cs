namespace Tagstream.State;

/// <summary>One committed batch's increments, rebuilt by recovery so that a sliding window can be refilled after a restart.</summary>
/// <param name="Batch">The batch id.</param>
/// <param name="Increments">
/// Each hashtag the batch counted (UTF-8 key, without <c>#</c>) with how many times: its total after the batch minus its
/// total before it. Every increment is at least 1.
/// </param>
internal sealed record RecoveredBatch(long Batch, IReadOnlyList<KeyValuePair<byte[], long>> Increments);
