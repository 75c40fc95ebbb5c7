using System.Diagnostics;

namespace Tagstream.Counting;

/// <summary>
/// The incremental top-K over all shards. Counts only grow, so after a batch the new top-K is the best K of
/// (the previous top-K) and (the keys touched in the batch): <see cref="Update"/> costs O(K + touched), never a pass
/// over all keys. A recovered count (<see cref="HashtagCounter.AddTotal"/>) can lift any key, so it marks the ranking
/// stale and the next use rebuilds it from every key once.
/// The entries keep copies of their keys: slot indexes move when a table grows, keys do not.
/// </summary>
internal sealed class TopRanking
{
    private readonly CountingTable[] _shards;
    private readonly bool _degenerateHash;
    private readonly CandidateHeap _heap;
    private readonly Candidate[] _drained;
    private readonly TopEntry[] _entries;
    private byte[] _keys = new byte[4096];
    private byte[] _spareKeys = new byte[4096];

    public TopRanking(int capacity, CountingTable[] shards, bool degenerateHash)
    {
        _shards = shards;
        _degenerateHash = degenerateHash;
        _heap = new CandidateHeap(capacity, shards);
        _drained = new Candidate[capacity];
        _entries = new TopEntry[capacity];
    }

    /// <summary>Entries, best first.</summary>
    public int Count { get; private set; }

    public bool IsStale { get; private set; }

    public void MarkStale() => IsStale = true;

    public ReadOnlySpan<byte> KeyAt(int index)
    {
        var entry = _entries[index];
        return _keys.AsSpan(entry.KeyOffset, entry.KeyLength);
    }

    public long TotalAt(int index) => _entries[index].Total;

    /// <summary>After every shard folded its batch: the previous entries not touched, plus every touched key.</summary>
    public void Update()
    {
        Debug.Assert(!IsStale, "A stale ranking must be rebuilt.");
        _heap.Clear();
        for (var i = 0; i < Count; i++)
        {
            var key = KeyAt(i);
            var hash = KeyHash.Of(key, _degenerateHash);
            var shard = HashtagSharding.ShardOfUnchecked(hash, _shards.Length);
            var slot = _shards[shard].Find(key, CountingTable.FingerprintOf(hash));
            Debug.Assert(slot >= 0, "Keys are never removed.");

            // A touched key is offered below with its new total; offering it twice could push out the K-th key.
            ref readonly var state = ref _shards[shard].At(slot);
            if (state.BatchCount == 0)
            {
                _heap.Offer(new Candidate(state.Total, shard, slot));
            }
        }

        for (var s = 0; s < _shards.Length; s++)
        {
            var table = _shards[s];
            var dirty = table.Dirty;
            for (var i = 0; i < dirty.Length; i++)
            {
                table.PrefetchDirty(dirty, i);
                _heap.Offer(new Candidate(table.At(dirty[i]).Total, s, dirty[i]));
            }
        }

        Publish();
    }

    /// <summary>Ranks every key with a total from scratch.</summary>
    public void Rebuild()
    {
        _heap.Clear();
        for (var s = 0; s < _shards.Length; s++)
        {
            var table = _shards[s];
            for (var slot = 0; slot < table.Capacity; slot++)
            {
                ref readonly var state = ref table.At(slot);
                if (state.HasTotal)
                {
                    _heap.Offer(new Candidate(state.Total, s, slot));
                }
            }
        }

        Publish();
        IsStale = false;
    }

    private void Publish()
    {
        var count = _heap.Count;
        var best = _drained.AsSpan(0, count);
        _heap.DrainBestFirst(best);

        var bytes = 0;
        foreach (var candidate in best)
        {
            bytes += _shards[candidate.Shard].KeyAt(candidate.Slot).Length;
        }

        if (_spareKeys.Length < bytes)
        {
            _spareKeys = new byte[Math.Max(bytes, _spareKeys.Length * 2)];
        }

        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var key = _shards[best[i].Shard].KeyAt(best[i].Slot);
            key.CopyTo(_spareKeys.AsSpan(offset));
            _entries[i] = new TopEntry(offset, key.Length, best[i].Total);
            offset += key.Length;
        }

        (_keys, _spareKeys) = (_spareKeys, _keys);
        Count = count;
    }
}
