namespace Tagstream.Counting;

/// <summary>The hash the counter uses for a key: <see cref="HashtagSharding.Hash"/>, or a degenerate one in tests.</summary>
internal static class KeyHash
{
    // Two bits in each half: four fingerprints, four start slots, shards 0 and 1 only.
    private const ulong DegenerateMask = 0xC000_0000_C000_0000;

    public static ulong Of(ReadOnlySpan<byte> key, bool degenerate)
    {
        var hash = HashtagSharding.Hash(key);
        return degenerate ? Degenerate(hash) : hash;
    }

    public static ulong Degenerate(ulong hash) => hash & DegenerateMask;
}
