namespace Tagstream.Cli.Dashboard;

/// <summary>
/// Hands each batch's frame, encoded once, to every connected viewer, and keeps the latest frames for the API.
/// </summary>
/// <remarks>
/// Publishing costs one non-blocking write per viewer into that viewer's one-frame mailbox
/// (<see cref="FrameSubscription"/>), so a stalled browser cannot hold up the batch loop or anyone else.
/// </remarks>
internal sealed class FrameBroadcaster
{
    // Enough for a page that asks for the chart of the batch it was just told about, even a few batches late.
    private const int RecentFrames = 8;

    private readonly Lock _lock = new();
    private readonly Queue<DashboardFrame> _recent = new(RecentFrames);
    private FrameSubscription[] _subscribers = [];
    private DashboardFrame? _latest;
    private long _droppedFrames;

    /// <summary>The frame of the last batch, or null before the first.</summary>
    public DashboardFrame? Latest => Volatile.Read(ref _latest);

    /// <summary>Viewers connected now.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Frames that a viewer never got because a newer one replaced it first.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Makes <paramref name="frame"/> the latest and offers it to every viewer. Called by one batch loop at a time.</summary>
    public void Publish(DashboardFrame frame)
    {
        FrameSubscription[] subscribers;
        lock (_lock)
        {
            if (_recent.Count == RecentFrames)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(frame);
            Volatile.Write(ref _latest, frame);
            subscribers = _subscribers;
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Offer(frame);
        }
    }

    /// <summary>A recent frame by batch number, or the latest when that batch is no longer kept.</summary>
    public DashboardFrame? Find(long batch)
    {
        lock (_lock)
        {
            foreach (var frame in _recent)
            {
                if (frame.Batch.Batch == batch)
                {
                    return frame;
                }
            }

            return _latest;
        }
    }

    /// <summary>Connects a viewer; it receives the latest frame at once, then each new one.</summary>
    public FrameSubscription Subscribe()
    {
        var subscription = new FrameSubscription(this);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscription];
            // Offered under the lock so that a Publish running now offers its newer frame after this one, never before.
            if (_latest is { } latest)
            {
                subscription.Offer(latest);
            }
        }

        return subscription;
    }

    internal void Unsubscribe(FrameSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, subscription));
        }
    }

    internal void CountDroppedFrame() => Interlocked.Increment(ref _droppedFrames);
}
