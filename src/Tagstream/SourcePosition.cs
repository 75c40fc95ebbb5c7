namespace Tagstream;

/// <summary>
/// Where a source stands, so that reading can resume exactly after the last committed batch.
/// </summary>
/// <param name="Run">
/// What the offset is relative to: a feed run id, a replay file's identity, a synthetic stream's parameters,
/// a Jetstream host. Two positions with different runs cannot be compared.
/// </param>
/// <param name="Offset">A monotonically growing offset within the run: a line number, a byte offset, a cursor.</param>
public readonly record struct SourcePosition(string Run, long Offset);
