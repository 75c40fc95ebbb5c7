using System.Buffers;

namespace Tagstream.Sources.Lines;

/// <summary>
/// Native memory (a mapped file's window) seen as <see cref="Memory{T}"/>, so chunks over it travel like any other.
/// It owns nothing: the memory stays valid for as long as its owner keeps it mapped.
/// </summary>
internal sealed unsafe class UnmanagedMemory(byte* pointer, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new(pointer, length);

    // Native memory never moves, so pinning is just handing out the address.
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)length, nameof(elementIndex));
        return new MemoryHandle(pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
