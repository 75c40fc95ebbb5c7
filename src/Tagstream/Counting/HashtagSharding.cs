using System.IO.Hashing;

namespace Tagstream.Counting;

/// <summary>
/// The stable hash of a hashtag and the shard it belongs to. The same functions place a hashtag in one process
/// (a <see cref="HashtagCounter"/> with several workers) and on a cluster, so state written by one can be read by
/// the other. Never <c>string.GetHashCode()</c>: it differs between processes.
/// </summary>
public static class HashtagSharding
{
    /// <summary>XXH3-64 (seed 0) of the hashtag's UTF-8 bytes, as sent (no normalisation).</summary>
    /// <param name="hashtagUtf8">The hashtag in UTF-8, without <c>#</c>.</param>
    /// <returns>The 64-bit hash.</returns>
    public static ulong Hash(ReadOnlySpan<byte> hashtagUtf8) => XxHash3.HashToUInt64(hashtagUtf8);

    /// <summary>
    /// The shard of a hash among <paramref name="shardCount"/> shards: the low 32 bits of the hash scaled to the
    /// range (multiply and keep the high half), so shards get equal shares without a division. Tables index their
    /// slots with the high 32 bits, which keeps the two choices independent.
    /// </summary>
    /// <param name="hash">A hash from <see cref="Hash"/>.</param>
    /// <param name="shardCount">How many shards, at least 1.</param>
    /// <returns>A shard number in 0..<paramref name="shardCount"/>-1.</returns>
    public static int ShardOf(ulong hash, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        return ShardOfUnchecked(hash, shardCount);
    }

    internal static int ShardOfUnchecked(ulong hash, int shardCount) => (int)(((ulong)(uint)hash * (uint)shardCount) >> 32);
}
