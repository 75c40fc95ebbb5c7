namespace Tagstream.Sources.Lines;

/// <summary>A run of whole protocol lines read by <see cref="LineChunkReader"/>.</summary>
/// <param name="Lines">Whole lines, each ending with <c>\n</c> except possibly the last line of the stream.</param>
/// <param name="SkippedLines">Lines dropped since the previous chunk because they were longer than the limit.</param>
/// <param name="IsFinal">True when the stream has ended and no chunk follows.</param>
internal readonly record struct LineChunk(ReadOnlyMemory<byte> Lines, long SkippedLines, bool IsFinal);
