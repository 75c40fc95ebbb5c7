namespace Tagstream.Counting;

/// <summary>
/// Keeps the best <c>capacity</c> candidates offered, in a binary heap whose root is the worst of them, so most
/// offers are rejected by one comparison with the root. Better = larger total, then smaller key in UTF-8 byte order
/// (ordinal, as Spark SQL orders strings).
/// </summary>
internal sealed class CandidateHeap(int capacity, CountingTable[] shards)
{
    private readonly Candidate[] _items = new Candidate[capacity];

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Offer(Candidate candidate)
    {
        if (Count < _items.Length)
        {
            _items[Count] = candidate;
            SiftUp(Count++);
            return;
        }

        var worst = _items[0];
        if (candidate.Total < worst.Total || !IsBetter(candidate, worst))
        {
            return;
        }

        _items[0] = candidate;
        SiftDown(0);
    }

    /// <summary>Empties the heap into <paramref name="destination"/>, best first.</summary>
    public void DrainBestFirst(Span<Candidate> destination)
    {
        while (Count > 0)
        {
            destination[Count - 1] = _items[0];
            _items[0] = _items[--Count];
            SiftDown(0);
        }
    }

    public bool IsBetter(Candidate a, Candidate b) =>
        a.Total != b.Total
            ? a.Total > b.Total
            : shards[a.Shard].KeyAt(a.Slot).SequenceCompareTo(shards[b.Shard].KeyAt(b.Slot)) < 0;

    private void SiftUp(int index)
    {
        var item = _items[index];
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!IsBetter(_items[parent], item))
            {
                break;
            }

            _items[index] = _items[parent];
            index = parent;
        }

        _items[index] = item;
    }

    private void SiftDown(int index)
    {
        var item = _items[index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && IsBetter(_items[child], _items[child + 1]))
            {
                child++;
            }

            if (!IsBetter(item, _items[child]))
            {
                break;
            }

            _items[index] = _items[child];
            index = child;
        }

        _items[index] = item;
    }
}
