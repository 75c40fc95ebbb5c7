using System.Runtime.InteropServices;

namespace Tagstream.Counting;

/// <summary>
/// One 32-byte slot of a <see cref="CountingTable"/>, 32-byte aligned so it never straddles a cache line. Bytes 12-31
/// are the key area: a key of up to <see cref="CountingTable.MaxInlineLength"/> bytes lives there as [length, bytes,
/// zero padding], compared with one masked vector compare of the whole slot; a longer key has
/// <see cref="KeyTag"/> = <see cref="CountingTable.LongKeyTag"/> and refers to the long-key arena. An empty slot is all
/// zero.
/// </summary>
/// <remarks>
/// Why no fingerprint for inline keys: the 4 bytes it took hold four more key bytes, which brings hashtags of 16-19
/// bytes (a third of the standard data set's occurrences) inline, away from the arena and its extra cache miss.
/// Growing recomputes an inline key's hash from the key itself.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct Slot
{
    /// <summary>Occurrences in closed batches plus recovered counts.</summary>
    [FieldOffset(0)]
    public long Total;

    /// <summary>Occurrences in the open (or just closed) batch; 0 means the slot is not on the dirty list.</summary>
    [FieldOffset(8)]
    public uint BatchCount;

    /// <summary>0 for an empty slot, the length of an inline key, or <see cref="CountingTable.LongKeyTag"/>.</summary>
    [FieldOffset(12)]
    public byte KeyTag;

    /// <summary>A long key's length in bytes.</summary>
    [FieldOffset(16)]
    public int LongLength;

    /// <summary>A long key's fingerprint (see <see cref="CountingTable.FingerprintOf"/>), which also places it when growing.</summary>
    [FieldOffset(20)]
    public uint LongFingerprint;

    /// <summary>Where a long key's bytes are in the arena.</summary>
    [FieldOffset(24)]
    public long LongReference;

    /// <summary>Whether the slot holds a hashtag with a total: what enumerations and rankings of all hashtags visit.</summary>
    public readonly bool HasTotal => KeyTag != 0 && Total > 0;
}
