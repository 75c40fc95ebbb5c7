namespace Tagstream.Cluster;

/// <summary>
/// A batch's input range, made durable before any of its changes leaves the node: a batch replayed after a failure
/// reads exactly this range, so it is the same batch.
/// </summary>
/// <param name="Batch">The batch number, from 1.</param>
/// <param name="Start">The input's position before the batch (null at the very start).</param>
/// <param name="End">The input's position after the batch (null when nothing with a position was read yet).</param>
/// <param name="Final">True when the input ended with this batch.</param>
internal sealed record BatchPlan(long Batch, SourcePosition? Start, SourcePosition? End, bool Final);
