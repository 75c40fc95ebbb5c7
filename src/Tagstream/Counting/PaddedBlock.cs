using System.Runtime.CompilerServices;

namespace Tagstream.Counting;

/// <summary>
/// 64 bytes on the stack for the tokenizer's last partial block. An inline array rather than <c>stackalloc</c>,
/// which would keep the tokenizer from being recompiled with profile data (no on-stack replacement with stackalloc).
/// </summary>
[InlineArray(64)]
internal struct PaddedBlock
{
    private byte _element;
}
