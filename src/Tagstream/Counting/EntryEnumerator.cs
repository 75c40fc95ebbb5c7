namespace Tagstream.Counting;

/// <summary>
/// Enumerates, without allocating, every hashtag with a total (see <see cref="HashtagCounter.GetEnumerator"/>), in no
/// particular order. Use it with <c>foreach</c>.
/// </summary>
public ref struct EntryEnumerator
{
    private readonly HashtagCounter _counter;
    private readonly int _version;
    private int _shard;
    private int _slot;

    internal EntryEnumerator(HashtagCounter counter)
    {
        _counter = counter;
        _version = counter.Version;
        _slot = -1;
    }

    /// <summary>The current entry.</summary>
    public readonly HashtagEntry Current
    {
        get
        {
            var table = _counter.Shards[_shard];
            return new HashtagEntry(table.KeyAt(_slot), table.At(_slot).Total);
        }
    }

    /// <summary>Moves to the next entry.</summary>
    /// <returns>Whether there is one.</returns>
    /// <exception cref="InvalidOperationException">The counter changed since the enumeration started.</exception>
    public bool MoveNext()
    {
        _counter.ThrowIfChangedSince(_version);
        var shards = _counter.Shards;
        _slot++;
        while (_shard < shards.Length)
        {
            var table = shards[_shard];
            for (; _slot < table.Capacity; _slot++)
            {
                ref readonly var state = ref table.At(_slot);
                if (state.HasTotal)
                {
                    return true;
                }
            }

            _shard++;
            _slot = 0;
        }

        return false;
    }
}
