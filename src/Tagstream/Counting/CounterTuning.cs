namespace Tagstream.Counting;

/// <summary>
/// Internal knobs of a <see cref="HashtagCounter"/>. Tests turn them to reach rare paths quickly (tiny tables that
/// grow and wrap around, colliding hashes, chunks cut into many small slices); benchmarks keep the defaults.
/// </summary>
internal sealed record CounterTuning
{
    public static CounterTuning Default { get; } = new();

    /// <summary>Slots each shard's table starts with (at least 8).</summary>
    public int InitialCapacity { get; init; } = 1 << 12;

    /// <summary>
    /// Bytes of input one worker tokenizes per step (see <see cref="CountingEngine"/>). Small enough that a step's
    /// input and token lists stay in the core's L2 cache until the next step counts them, large enough to make the
    /// barrier that ends each step cheap.
    /// </summary>
    public int RoundBytes { get; init; } = 128 * 1024;

    /// <summary>Chunks shorter than this are counted on the calling thread alone: waking a worker costs more.</summary>
    public int ParallelThreshold { get; init; } = 64 * 1024;

    /// <summary>Keeps only 2 bits of each hash half, so fingerprints, start slots and shards collide massively.</summary>
    public bool DegenerateHash { get; init; }
}
