using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tagstream.Counting;

/// <summary>
/// The hash of a hashtag and the shard it belongs to: a function of the UTF-8 bytes alone, so a hashtag's shard never
/// depends on the process. Never <c>string.GetHashCode()</c>: it differs between processes.
/// </summary>
/// <remarks>
/// Public for hosts that split a job's state over more than one process (the cluster's shard grains): they place a
/// hashtag with <see cref="ShardOf(ReadOnlySpan{byte}, int)"/>, the same function the counter's own shards use.
/// </remarks>
public static class HashtagSharding
{
    /// <summary>The longest hashtag (in UTF-8 bytes) hashed by the short-key function; longer ones use XXH3-64.</summary>
    internal const int MaxShortLength = 19;

    private const ulong Secret0 = 0x9E3779B185EBCA87;
    private const ulong Secret1 = 0xC2B2AE3D27D4EB4F;
    private const ulong Secret2 = 0x165667B19E3779F9;
    private const ulong Secret3 = 0x27D4EB2F165667C5;

    /// <summary>
    /// The 64-bit hash of the hashtag's UTF-8 bytes, as sent (no normalisation). A hashtag of up to
    /// <see cref="MaxShortLength"/> bytes (most of them) is laid out as 24 bytes [4 zero bytes, length, bytes, zero
    /// padding], the key area of a counting table's slot, read as three little-endian 64-bit words a, b and c. Two
    /// 128-bit products fold them: x = hi ^ lo of (b ^ S0) * (c ^ S1), then h = hi ^ lo of (x ^ S2) * (a ^ S3), and
    /// the XXH3 avalanche of h is the hash: branch-free, and the same bytes the table compares. A longer hashtag's
    /// hash is XXH3-64 with seed 0.
    /// </summary>
    /// <param name="hashtagUtf8">The hashtag in UTF-8, without <c>#</c>.</param>
    /// <returns>The 64-bit hash.</returns>
    /// <remarks>
    /// Optimized at once: the tokenizer's loop, itself compiled fully optimized at once, calls it for every long key,
    /// and unoptimized code would run until tiering caught up.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ulong Hash(ReadOnlySpan<byte> hashtagUtf8)
    {
        if (hashtagUtf8.Length > MaxShortLength)
        {
            return XxHash3.HashToUInt64(hashtagUtf8);
        }

        Span<byte> block = stackalloc byte[24];
        block.Clear();
        block[4] = (byte)hashtagUtf8.Length;
        hashtagUtf8.CopyTo(block[5..]);
        return HashShort(
            BinaryPrimitives.ReadUInt64LittleEndian(block),
            BinaryPrimitives.ReadUInt64LittleEndian(block[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(block[16..]));
    }

    /// <summary>
    /// The shard of a hash among <paramref name="shardCount"/> shards: the low 32 bits of the hash scaled to the
    /// range (multiply and keep the high half), so shards get equal shares without a division. Tables index their
    /// slots with the high 32 bits, which keeps the two choices independent.
    /// </summary>
    /// <param name="hash">A hash from <see cref="Hash"/>.</param>
    /// <param name="shardCount">How many shards, at least 1.</param>
    /// <returns>A shard number in 0..<paramref name="shardCount"/>-1.</returns>
    internal static int ShardOf(ulong hash, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        return ShardOfUnchecked(hash, shardCount);
    }

    /// <summary>
    /// The shard of a hashtag among <paramref name="shardCount"/> shards: a function of its UTF-8 bytes (as sent, no
    /// normalisation) and the shard count alone, equal in every process and on every machine.
    /// </summary>
    /// <param name="hashtagUtf8">The hashtag in UTF-8, without <c>#</c>.</param>
    /// <param name="shardCount">How many shards, at least 1.</param>
    /// <returns>A shard number in 0..<paramref name="shardCount"/>-1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is below 1.</exception>
    public static int ShardOf(ReadOnlySpan<byte> hashtagUtf8, int shardCount) => ShardOf(Hash(hashtagUtf8), shardCount);

    /// <summary>
    /// <see cref="Hash"/> of a short key already laid out as a counting table's slot (see <see cref="CountingTable"/>):
    /// its last 24 bytes are the layout above.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong HashShort(Vector256<byte> slotKey)
    {
        var words = slotKey.AsUInt64();
        var (a, b, c) = (words.GetElement(1), words.GetElement(2), words.GetElement(3));
        if (!BitConverter.IsLittleEndian)
        {
            (a, b, c) = (BinaryPrimitives.ReverseEndianness(a), BinaryPrimitives.ReverseEndianness(b), BinaryPrimitives.ReverseEndianness(c));
        }

        return HashShort(a, b, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ShardOfUnchecked(ulong hash, int shardCount) => (int)(((ulong)(uint)hash * (uint)shardCount) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashShort(ulong a, ulong b, ulong c)
    {
        var high = Math.BigMul(b ^ Secret0, c ^ Secret1, out var low);
        high = Math.BigMul((high ^ low) ^ Secret2, a ^ Secret3, out low);
        var hash = high ^ low;
        hash ^= hash >> 37;
        hash *= 0x165667919E3779F9;
        return hash ^ (hash >> 32);
    }
}
