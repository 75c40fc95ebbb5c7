namespace Tagstream.Counting;

/// <summary>
/// A barrier for a few threads that arrive within microseconds of each other (the phases of one counting round):
/// it spins and yields rather than blocking in the kernel. Everything a thread wrote before
/// <see cref="SignalAndWait"/> is visible to every thread after it returns (interlocked decrement, then a volatile
/// write of the phase that the waiters read).
/// </summary>
internal sealed class SpinBarrier(int participants)
{
    private readonly int _participants = participants;
    private int _remaining = participants;
    private int _phase;

    public void SignalAndWait()
    {
        var phase = Volatile.Read(ref _phase);
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _remaining = _participants;
            Volatile.Write(ref _phase, phase + 1);
            return;
        }

        // sleep1Threshold -1: never Thread.Sleep(1), whose millisecond would dwarf a round; SpinOnce still yields.
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _phase) == phase)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
