namespace Tagstream.Counting;

/// <summary>
/// Append-only storage for keys too long to sit inline in a slot. Keys are never removed (counts only grow), so
/// a key is a (chunk, offset) reference that stays valid for the table's life, across table growth.
/// </summary>
internal sealed class LongKeyArena
{
    private const int ChunkSize = 1 << 20;

    private readonly List<byte[]> _chunks = [];
    private int _current = -1;
    private int _used;

    /// <summary>Bytes allocated for keys.</summary>
    public long Bytes { get; private set; }

    public long Append(ReadOnlySpan<byte> key)
    {
        if (key.Length > ChunkSize / 4)
        {
            // A rare huge key gets a chunk of its own, so it never wastes the rest of the shared chunk.
            _chunks.Add(key.ToArray());
            Bytes += key.Length;
            return (long)(_chunks.Count - 1) << 32;
        }

        if (_current < 0 || ChunkSize - _used < key.Length)
        {
            _chunks.Add(new byte[ChunkSize]);
            Bytes += ChunkSize;
            _current = _chunks.Count - 1;
            _used = 0;
        }

        key.CopyTo(_chunks[_current].AsSpan(_used));
        var reference = ((long)_current << 32) | (uint)_used;
        _used += key.Length;
        return reference;
    }

    public ReadOnlySpan<byte> Get(long reference, int length) => new(_chunks[(int)(reference >> 32)], (int)reference, length);
}
