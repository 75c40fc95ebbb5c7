
namespace Tagstream.State;

/// <summary>The metadata of one checkpoint file, read before its entries.</summary>
internal sealed record CheckpointFileHeader(
    CheckpointFileKind Kind,
    long Batch,
    long EntryCount,
    SourcePosition? Position,
    CheckpointCounters Counters);
