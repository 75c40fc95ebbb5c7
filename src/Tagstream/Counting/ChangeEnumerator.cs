namespace Tagstream.Counting;

/// <summary>
/// Enumerates, without allocating, the hashtags counted in the last closed batch (see
/// <see cref="HashtagCounter.GetChanges"/>), in no particular order. Use it with <c>foreach</c>.
/// </summary>
public ref struct ChangeEnumerator
{
    private readonly HashtagCounter? _counter;
    private readonly int _version;
    private int _shard;
    private int _position;

    internal ChangeEnumerator(HashtagCounter counter, bool empty)
    {
        _counter = empty ? null : counter;
        _version = counter.Version;
        _position = -1;
    }

    /// <summary>The current change.</summary>
    public readonly HashtagChange Current
    {
        get
        {
            var table = _counter!.Shards[_shard];
            var slot = table.Dirty[_position];
            return new HashtagChange(table.KeyAt(slot), table.DeltaAt(slot), table.At(slot).Total);
        }
    }

    /// <summary>Returns this enumerator, for <c>foreach</c>.</summary>
    /// <returns>This enumerator.</returns>
    public readonly ChangeEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next change.</summary>
    /// <returns>Whether there is one.</returns>
    /// <exception cref="InvalidOperationException">The counter changed since the enumeration started.</exception>
    public bool MoveNext()
    {
        if (_counter is null)
        {
            return false;
        }

        _counter.ThrowIfChangedSince(_version);
        var shards = _counter.Shards;
        _position++;
        while (_shard < shards.Length)
        {
            var dirty = shards[_shard].Dirty;
            if (_position < dirty.Length)
            {
                // The changed slots lie all over the table: fetch the one a few changes ahead while the caller works on
                // this one, as the batch's own passes do, so a batch's changes cost a stream, not a miss each.
                shards[_shard].PrefetchDirty(dirty, _position);
                return true;
            }

            _shard++;
            _position = 0;
        }

        return false;
    }
}
