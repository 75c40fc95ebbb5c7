namespace Tagstream.Counting;

/// <summary>A key competing for the top: its total and where it is (shard, slot).</summary>
internal readonly record struct Candidate(long Total, int Shard, int Slot);
