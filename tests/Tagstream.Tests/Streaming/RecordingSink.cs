using System.Threading.Channels;
using Tagstream.Streaming;

namespace Tagstream.Tests.Streaming;

/// <summary>A sink that keeps every batch it receives, for tests to read in order.</summary>
internal sealed class RecordingSink : IBatchSink
{
    public Channel<BatchResult> Batches { get; } = Channel.CreateUnbounded<BatchResult>();

    public bool Completed { get; private set; }

    public ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken)
    {
        Batches.Writer.TryWrite(batch);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnCompletedAsync(CancellationToken cancellationToken)
    {
        Completed = true;
        Batches.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
