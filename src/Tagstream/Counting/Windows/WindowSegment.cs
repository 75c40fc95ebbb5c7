namespace Tagstream.Counting.Windows;

/// <summary>One batch's (window entry, delta) pairs, kept until the batch leaves the window. Its arrays are reused.</summary>
internal sealed class WindowSegment
{
    private int[] _entries = new int[256];
    private long[] _deltas = new long[256];

    public int Length { get; private set; }

    public ReadOnlySpan<int> Entries => _entries.AsSpan(0, Length);

    public ReadOnlySpan<long> Deltas => _deltas.AsSpan(0, Length);

    public void Add(int entry, long delta)
    {
        if (Length == _entries.Length)
        {
            Array.Resize(ref _entries, Length * 2);
            Array.Resize(ref _deltas, Length * 2);
        }

        _entries[Length] = entry;
        _deltas[Length] = delta;
        Length++;
    }

    public void Clear() => Length = 0;
}
