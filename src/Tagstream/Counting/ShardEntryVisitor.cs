namespace Tagstream.Counting;

/// <summary>Receives one hashtag of a shard and its total; called on that shard's worker, concurrently with other shards.</summary>
/// <param name="shard">The shard, from 0 to the number of workers - 1: everything the callee writes must belong to it.</param>
/// <param name="hashtag">The hashtag in UTF-8; valid during the call only.</param>
/// <param name="total">Its total after the last closed batch.</param>
internal delegate void ShardEntryVisitor(int shard, ReadOnlySpan<byte> hashtag, long total);
