using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tagstream.Counting;

/// <summary>
/// The tokens one worker found in its slice that belong to one shard. Written by that worker in the tokenizing
/// phase, read by the shard's owner in the probing phase; a barrier separates the two.
/// </summary>
internal sealed class TokenBuffer
{
    private TokenRef[] _items = new TokenRef[256];

    public int Count { get; private set; }

    public ReadOnlySpan<TokenRef> Items => new(_items, 0, Count);

    /// <summary>Makes room for <paramref name="capacity"/> tokens so that <see cref="Add"/> needs no check.</summary>
    public void Reserve(int capacity)
    {
        if (_items.Length < capacity)
        {
            _items = new TokenRef[Math.Max(capacity, _items.Length * 2)];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int offset, int length, uint fingerprint)
    {
        Debug.Assert(Count < _items.Length, "Reserve must cover the slice's worst case.");
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_items), Count++) = new TokenRef(offset, length, fingerprint);
    }

    public void Clear() => Count = 0;
}
