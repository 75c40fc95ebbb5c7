namespace Tagstream.Counting;

/// <summary>
/// What the tokenizer's UTF-8 check of one 64-byte block hands to the next: the block's masks of lead bytes, of which
/// only the last three bits can reach into the next block. Bit i describes byte i of the block.
/// </summary>
internal struct Utf8Carry
{
    /// <summary>Lead bytes of 2-, 3- and 4-byte sequences (C2-F4).</summary>
    public ulong Lead;

    /// <summary>Lead bytes of 3- and 4-byte sequences (E0-F4).</summary>
    public ulong Lead34;

    /// <summary>Lead bytes of 4-byte sequences (F0-F4).</summary>
    public ulong Lead4;

    /// <summary>E0, whose second byte must be A0-BF (no overlong 3-byte forms; RFC 3629, section 4).</summary>
    public ulong E0;

    /// <summary>ED, whose second byte must be 80-9F (no surrogates).</summary>
    public ulong Ed;

    /// <summary>F0, whose second byte must be 90-BF (no overlong 4-byte forms).</summary>
    public ulong F0;

    /// <summary>F4, whose second byte must be 80-8F (nothing above U+10FFFF).</summary>
    public ulong F4;
}
