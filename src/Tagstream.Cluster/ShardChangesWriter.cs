using System.Buffers;
using System.Buffers.Binary;

namespace Tagstream.Cluster;

/// <summary>Packs a batch's changes for one shard into a <see cref="ShardChanges"/>; reused from batch to batch.</summary>
internal sealed class ShardChangesWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private int _count;

    public void Add(ReadOnlySpan<byte> hashtag, long delta)
    {
        Span<byte> entry = _buffer.GetSpan(sizeof(int) + hashtag.Length + sizeof(long));
        BinaryPrimitives.WriteInt32LittleEndian(entry, hashtag.Length);
        hashtag.CopyTo(entry[sizeof(int)..]);
        BinaryPrimitives.WriteInt64LittleEndian(entry[(sizeof(int) + hashtag.Length)..], delta);
        _buffer.Advance(sizeof(int) + hashtag.Length + sizeof(long));
        _count++;
    }

    /// <summary>The changes added since the last call, and a fresh start.</summary>
    public ShardChanges Take(int input, long batch)
    {
        var changes = new ShardChanges(input, batch, _count, _buffer.WrittenSpan.ToArray());
        _buffer.ResetWrittenCount();
        _count = 0;
        return changes;
    }
}
