using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tagstream.Counting;

/// <summary>
/// One 32-byte slot of a <see cref="CountingTable"/>, 32-byte aligned so it never straddles a cache line. A key of
/// up to <see cref="CountingTable.MaxInlineLength"/> bytes lives in <see cref="Key"/> as [length, bytes, zero padding],
/// compared with one 16-byte vector compare; a longer key has <see cref="KeyTag"/> = <see cref="CountingTable.LongKeyTag"/>
/// and refers to the long-key arena.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct Slot
{
    /// <summary>High 32 bits of the hash with the lowest bit set; 0 marks an empty slot.</summary>
    [FieldOffset(0)]
    public uint Fingerprint;

    /// <summary>Occurrences in the open (or just closed) batch; 0 means the slot is not on the dirty list.</summary>
    [FieldOffset(4)]
    public uint BatchCount;

    /// <summary>Occurrences in closed batches plus recovered counts.</summary>
    [FieldOffset(8)]
    public long Total;

    [FieldOffset(16)]
    public Vector128<byte> Key;

    [FieldOffset(16)]
    public byte KeyTag;

    [FieldOffset(20)]
    public int LongLength;

    [FieldOffset(24)]
    public long LongReference;

    /// <summary>Whether the slot holds a hashtag with a total: what enumerations and rankings of all hashtags visit.</summary>
    public readonly bool HasTotal => Fingerprint != 0 && Total > 0;
}
