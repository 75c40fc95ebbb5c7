namespace Tagstream.Sources.Lines;

/// <summary>
/// Hands out protocol lines as chunks of whole lines, none longer than the line limit: from a pipe
/// (<see cref="LineChunkReader"/>: standard input, sockets) or straight from a mapped file (<see cref="MappedLineReader"/>).
/// </summary>
/// <remarks>A chunk is valid until the next call of <see cref="ReadAsync"/>; calls never overlap.</remarks>
internal interface ILineChunkReader
{
    /// <summary>Bytes handed out in chunks or skipped so far: the offset after the last chunk, from where reading began.</summary>
    long Consumed { get; }

    /// <summary>Reads the next chunk of whole lines, waiting for data when none is ready.</summary>
    /// <returns>The chunk; <see cref="LineChunk.IsFinal"/> is set once the input has ended.</returns>
    ValueTask<LineChunk> ReadAsync(CancellationToken cancellationToken);
}
