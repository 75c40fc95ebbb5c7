namespace Tagstream.Streaming;

/// <summary>Receives every closed batch: the terminal chart, JSON lines, the dashboard, image files.</summary>
/// <remarks>
/// Sinks run after the batch has been committed, one batch at a time and in order, off the counting thread:
/// a slow sink delays other sinks but never the counting.
/// </remarks>
public interface IBatchSink
{
    /// <summary>Shows or stores one batch.</summary>
    ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken);

    /// <summary>Called once after the last batch, when the job ends.</summary>
    ValueTask OnCompletedAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
