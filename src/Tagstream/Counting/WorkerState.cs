namespace Tagstream.Counting;

/// <summary>
/// What one worker produces while tokenizing: its tokens sorted by shard, and its running figures. Only that worker
/// writes it during a step; other threads read it after a barrier.
/// </summary>
/// <remarks>
/// The tokens go into one of two sets of buffers: while the worker fills one set, the shards' owners count the other
/// (see <see cref="CountingEngine"/>).
/// </remarks>
internal sealed class WorkerState
{
    private readonly TokenBuffer[][] _sets;

    public WorkerState(int shardCount, bool degenerateHash)
    {
        _sets = new TokenBuffer[2][];
        for (var set = 0; set < _sets.Length; set++)
        {
            _sets[set] = new TokenBuffer[shardCount];
            for (var i = 0; i < shardCount; i++)
            {
                _sets[set][i] = new TokenBuffer();
            }
        }

        ByShard = _sets[0];
        DegenerateHash = degenerateHash;
    }

    /// <summary>The set of buffers, one per shard, that the tokenizer fills.</summary>
    public TokenBuffer[] ByShard { get; private set; }

    public bool DegenerateHash { get; }

    public long Tags { get; set; }

    public long Malformed { get; set; }

    public long Newlines { get; set; }

    /// <summary>Set <paramref name="set"/> (0 or 1) of buffers, one per shard.</summary>
    public TokenBuffer[] Set(int set) => _sets[set];

    /// <summary>Makes set <paramref name="set"/> the one the tokenizer fills.</summary>
    public void Fill(int set) => ByShard = _sets[set];

    /// <summary>Reserves room in the filled set for the worst case of a slice: one token every two bytes, all in one shard.</summary>
    public void Reserve(int sliceLength)
    {
        var capacity = (sliceLength / 2) + 2;
        foreach (var buffer in ByShard)
        {
            buffer.Reserve(capacity);
        }
    }
}
