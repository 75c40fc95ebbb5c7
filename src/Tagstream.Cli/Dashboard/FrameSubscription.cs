using System.Threading.Channels;

namespace Tagstream.Cli.Dashboard;

/// <summary>
/// One viewer's mailbox: it holds at most one frame, the newest. A viewer that reads slowly or not at all only ever
/// misses frames; it never makes the batch loop or other viewers wait.
/// </summary>
internal sealed class FrameSubscription : IDisposable
{
    private readonly FrameBroadcaster _owner;
    private readonly Channel<DashboardFrame> _frames;

    internal FrameSubscription(FrameBroadcaster owner)
    {
        _owner = owner;
        _frames = Channel.CreateBounded<DashboardFrame>(
            new BoundedChannelOptions(1)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = true,
            },
            _ => owner.CountDroppedFrame());
    }

    /// <summary>The frames for this viewer, newest only.</summary>
    public ChannelReader<DashboardFrame> Frames => _frames.Reader;

    /// <summary>Never blocks: a frame still waiting is replaced.</summary>
    internal void Offer(DashboardFrame frame) => _frames.Writer.TryWrite(frame);

    /// <inheritdoc />
    public void Dispose()
    {
        _frames.Writer.TryComplete();
        _owner.Unsubscribe(this);
    }
}
