namespace Tagstream.State;

/// <summary>
/// Encodes (varint key length, key, varint total) entries into one reusable array, so that a commit costs one
/// write call and no allocation once the array has grown to the usual batch size.
/// </summary>
internal sealed class EntryBuffer
{
    private byte[] _bytes = new byte[64 * 1024];

    public int Length { get; private set; }

    public long Count { get; private set; }

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public void Clear()
    {
        Length = 0;
        Count = 0;
    }

    /// <summary>Appends entries encoded by another buffer (one copy of their bytes).</summary>
    public void Append(EntryBuffer other)
    {
        var needed = Length + other.Length;
        if (needed > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(needed, (int)Math.Min(Array.MaxLength, 2L * _bytes.Length)));
        }

        other.Written.CopyTo(_bytes.AsSpan(Length));
        Length = needed;
        Count += other.Count;
    }

    public void Add(ReadOnlySpan<byte> hashtag, long total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        var needed = Length + hashtag.Length + (2 * Varint.MaxLength);
        if (needed > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(needed, (int)Math.Min(Array.MaxLength, 2L * _bytes.Length)));
        }

        var span = _bytes.AsSpan();
        Length += Varint.Write(span[Length..], (ulong)hashtag.Length);
        hashtag.CopyTo(span[Length..]);
        Length += hashtag.Length;
        Length += Varint.Write(span[Length..], (ulong)total);
        Count++;
    }
}
