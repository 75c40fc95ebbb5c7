using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tagstream.Counting;

/// <summary>
/// The stable hash of a hashtag and the shard it belongs to. The same functions place a hashtag in one process
/// (a <see cref="HashtagCounter"/> with several workers) and on a cluster, so state written by one can be read by
/// the other. Never <c>string.GetHashCode()</c>: it differs between processes.
/// </summary>
internal static class HashtagSharding
{
    /// <summary>The longest hashtag (in UTF-8 bytes) hashed by the short-key function; longer ones use XXH3-64.</summary>
    public const int MaxShortLength = 15;

    private const ulong Secret0 = 0x9E3779B185EBCA87;
    private const ulong Secret1 = 0xC2B2AE3D27D4EB4F;

    /// <summary>
    /// The 64-bit hash of the hashtag's UTF-8 bytes, as sent (no normalisation). A hashtag of up to
    /// <see cref="MaxShortLength"/> bytes (most of them) is laid out as 16 bytes [length, bytes, zero padding],
    /// read as two little-endian 64-bit words a and b; the hash is the XXH3 avalanche of the two halves of the
    /// 128-bit product (a ^ 0x9E3779B185EBCA87) * (b ^ 0xC2B2AE3D27D4EB4F) xor-ed together: branch-free and the
    /// same 16 bytes the counting table compares. A longer hashtag's hash is XXH3-64 with seed 0.
    /// </summary>
    /// <param name="hashtagUtf8">The hashtag in UTF-8, without <c>#</c>.</param>
    /// <returns>The 64-bit hash.</returns>
    /// <remarks>
    /// Optimized at once: the tokenizer's loop, itself compiled fully optimized at once, calls it for every long key,
    /// and unoptimized code would run until tiering caught up.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Hash(ReadOnlySpan<byte> hashtagUtf8)
    {
        if (hashtagUtf8.Length > MaxShortLength)
        {
            return XxHash3.HashToUInt64(hashtagUtf8);
        }

        Span<byte> block = stackalloc byte[16];
        block.Clear();
        block[0] = (byte)hashtagUtf8.Length;
        hashtagUtf8.CopyTo(block[1..]);
        return HashShort(BinaryPrimitives.ReadUInt64LittleEndian(block), BinaryPrimitives.ReadUInt64LittleEndian(block[8..]));
    }

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

    /// <summary><see cref="Hash"/> of a short key already laid out as the 16-byte block (see <see cref="CountingTable"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong HashShort(Vector128<byte> block)
    {
        var words = block.AsUInt64();
        var (a, b) = (words.GetElement(0), words.GetElement(1));
        if (!BitConverter.IsLittleEndian)
        {
            (a, b) = (BinaryPrimitives.ReverseEndianness(a), BinaryPrimitives.ReverseEndianness(b));
        }

        return HashShort(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ShardOfUnchecked(ulong hash, int shardCount) => (int)(((ulong)(uint)hash * (uint)shardCount) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashShort(ulong a, ulong b)
    {
        var high = Math.BigMul(a ^ Secret0, b ^ Secret1, out var low);
        var hash = high ^ low;
        hash ^= hash >> 37;
        hash *= 0x165667919E3779F9;
        return hash ^ (hash >> 32);
    }
}
