using System.IO.Hashing;

namespace Tagstream;

/// <summary>
/// Compares UTF-8 hashtag keys by their bytes, and lets a dictionary keyed by <c>byte[]</c> be probed with a
/// <see cref="ReadOnlySpan{T}"/> so that looking up an existing key allocates nothing.
/// </summary>
/// <remarks>
/// XxHash3 is stable across processes and runs, unlike <see cref="string.GetHashCode()"/> (DESIGN.md: shards use
/// a stable hash).
/// </remarks>
internal sealed class Utf8KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static Utf8KeyComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    public static int Hash(ReadOnlySpan<byte> key) => (int)XxHash3.HashToUInt64(key);
}
