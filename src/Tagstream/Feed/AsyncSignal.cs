namespace Tagstream.Feed;

/// <summary>
/// Wakes every waiter once per <see cref="Pulse"/>. A waiter takes <see cref="WaitTask"/> while holding the lock that
/// guards the state it waits on, then awaits it after releasing the lock: a pulse between the two is not lost.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next pulse.</summary>
    public Task WaitTask => Volatile.Read(ref _current).Task;

    public void Pulse()
    {
        TaskCompletionSource previous = Interlocked.Exchange(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
