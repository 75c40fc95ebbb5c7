namespace Tagstream.Counting;

/// <summary>
/// What one worker produces while tokenizing: its tokens sorted by shard, and its running figures. Only that worker
/// writes it during a round; other threads read it after a barrier.
/// </summary>
internal sealed class WorkerState
{
    public WorkerState(int shardCount, bool degenerateHash)
    {
        ByShard = new TokenBuffer[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            ByShard[i] = new TokenBuffer();
        }

        DegenerateHash = degenerateHash;
    }

    public TokenBuffer[] ByShard { get; }

    public bool DegenerateHash { get; }

    public long Tags { get; set; }

    public long Malformed { get; set; }

    public long Newlines { get; set; }

    /// <summary>Reserves room for the worst case of a slice: one token every two bytes, all in one shard.</summary>
    public void Reserve(int sliceLength)
    {
        var capacity = (sliceLength / 2) + 2;
        foreach (var buffer in ByShard)
        {
            buffer.Reserve(capacity);
        }
    }
}
