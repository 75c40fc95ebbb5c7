using System.Buffers.Binary;

namespace Tagstream.Cluster;

/// <summary>
/// One batch's changes for one shard: every hashtag of the shard that the batch counted, with its count in the batch.
/// Packed into one array (per entry: the hashtag's UTF-8 length as a 32-bit integer, its bytes, its count as a 64-bit
/// integer, little-endian) so that a batch costs one message of its distinct hashtags, never an object per hashtag.
/// </summary>
/// <param name="Input">The input the batch was read from.</param>
/// <param name="Batch">The input's batch number.</param>
/// <param name="Count">How many hashtags <paramref name="Entries"/> holds.</param>
/// <param name="Entries">The packed entries.</param>
[GenerateSerializer]
[Immutable]
internal sealed record ShardChanges(
    [property: Id(0)] int Input,
    [property: Id(1)] long Batch,
    [property: Id(2)] int Count,
    [property: Id(3)] byte[] Entries)
{
    /// <summary>Calls <paramref name="visit"/> with every hashtag and its count, in the order they were added.</summary>
    public void ForEach<TState>(TState state, ShardChangeVisitor<TState> visit)
    {
        ReadOnlySpan<byte> rest = Entries;
        while (!rest.IsEmpty)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(rest);
            ReadOnlySpan<byte> hashtag = rest.Slice(sizeof(int), length);
            long delta = BinaryPrimitives.ReadInt64LittleEndian(rest[(sizeof(int) + length)..]);
            visit(state, hashtag, delta);
            rest = rest[(sizeof(int) + length + sizeof(long))..];
        }
    }
}
