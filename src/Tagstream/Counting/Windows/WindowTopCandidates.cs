namespace Tagstream.Counting.Windows;

/// <summary>
/// The window hashtags that can be in the top: exactly those whose window count is at least a threshold t, chosen so
/// that at least <c>capacity</c> hashtags (or all of them) qualify. Every other hashtag counts less than t, so the top
/// <c>capacity</c> lie among the candidates, and a ranking sorts only them.
/// </summary>
/// <remarks>
/// Only hashtags a batch touched change count, so keeping the set exact costs O(1) per touched hashtag. When falling
/// counts leave fewer than <c>capacity</c> candidates, or rising ones make the set much larger than needed, the threshold
/// is chosen again by one pass over the window (O(d)); between such passes a batch costs O(touched), and a ranking
/// O(c log c) for c candidates (a few times <c>capacity</c>). This replaced an ordered set of all window hashtags, which
/// cost O(touched log d) with a large constant (about 4 µs per touched hashtag at 1 M window hashtags).
/// </remarks>
internal sealed class WindowTopCandidates(SlidingWindow window, int capacity)
{
    private readonly List<int> _members = [];
    private int[] _slot = new int[1024];
    private long _threshold = 1;
    private int _sizeAfterRebuild;

    public int Capacity => capacity;

    /// <summary>Called for each hashtag whose window count changed in the closed batch.</summary>
    public void Update(int entry)
    {
        if (entry >= _slot.Length)
        {
            Array.Resize(ref _slot, Math.Max(entry + 1, _slot.Length * 2));
        }

        var qualifies = window.CountOf(entry) >= _threshold;
        var member = _slot[entry] != 0;
        if (qualifies && !member)
        {
            _members.Add(entry);
            _slot[entry] = _members.Count;
        }
        else if (!qualifies && member)
        {
            var last = _members[^1];
            _members[_slot[entry] - 1] = last;
            _slot[last] = _slot[entry];
            _members.RemoveAt(_members.Count - 1);
            _slot[entry] = 0;
        }
    }

    /// <summary>Called once the batch's updates are done: chooses the threshold again if the set is too small or too big.</summary>
    public void Rebalance(int distinct)
    {
        var tooFew = _members.Count < capacity && _members.Count < distinct;
        var tooMany = _members.Count > Math.Max(16 * capacity, 2 * _sizeAfterRebuild);
        if (tooFew || tooMany)
        {
            Rebuild();
        }
    }

    /// <summary>The candidates in ranking order, best first.</summary>
    public int[] Ranked(Comparison<int> order)
    {
        var ranked = _members.ToArray();
        Array.Sort(ranked, order);
        return ranked;
    }

    private void Rebuild()
    {
        foreach (var entry in _members)
        {
            _slot[entry] = 0;
        }

        _members.Clear();

        // The 2c-th largest count t0 (c = capacity). Fewer than 2c hashtags count more than t0; if at least c of them do,
        // t0 + 1 is a threshold without the ties at t0, which can be numerous.
        var largest = new PriorityQueue<long, long>();
        for (var entry = 0; entry < window.EntryCount; entry++)
        {
            var count = window.CountOf(entry);
            if (count == 0)
            {
                continue;
            }

            if (largest.Count < 2 * capacity)
            {
                largest.Enqueue(count, count);
            }
            else if (count > largest.Peek())
            {
                largest.DequeueEnqueue(count, count);
            }
        }

        if (largest.Count < 2 * capacity)
        {
            _threshold = 1;
        }
        else
        {
            var t0 = largest.Peek();
            var above = largest.UnorderedItems.Count(item => item.Element > t0);
            _threshold = above >= capacity ? t0 + 1 : t0;
        }

        for (var entry = 0; entry < window.EntryCount; entry++)
        {
            Update(entry);
        }

        _sizeAfterRebuild = _members.Count;
    }
}
