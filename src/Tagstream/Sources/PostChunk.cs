namespace Tagstream.Sources;

/// <summary>
/// A run of posts encoded as protocol lines (see docs/protocol.md): UTF-8 hashtags separated by spaces, one line per post.
/// </summary>
/// <remarks>
/// <see cref="Lines"/> holds whole lines only; every line ends with <c>\n</c> except, when <see cref="IsFinal"/> is set,
/// possibly the last one. The memory belongs to the source and is valid only until its next read, so a chunk is a view
/// to read at once, not a value to keep or compare.
/// </remarks>
/// <param name="lines">The protocol lines.</param>
/// <param name="posts">The posts behind the lines, one per line, when the source has their details; otherwise null.</param>
/// <param name="skippedLines">Lines the source dropped as malformed since its previous chunk.</param>
/// <param name="position">The source's position after these lines, or null when the source cannot resume.</param>
/// <param name="isFinal">True when the source has ended: no chunk follows this one.</param>
public readonly struct PostChunk(
    ReadOnlyMemory<byte> lines,
    IReadOnlyList<Post>? posts,
    long skippedLines,
    SourcePosition? position,
    bool isFinal)
{
    /// <summary>The protocol lines.</summary>
    public ReadOnlyMemory<byte> Lines { get; } = lines;

    /// <summary>The posts behind the lines, one per line, when the source has their details (author, id); otherwise null.</summary>
    public IReadOnlyList<Post>? Posts { get; } = posts;

    /// <summary>Lines the source dropped as malformed since its previous chunk (for example longer than the line limit).</summary>
    public long SkippedLines { get; } = skippedLines;

    /// <summary>The source's position after these lines, or null when the source cannot resume.</summary>
    public SourcePosition? Position { get; } = position;

    /// <summary>True when the source has ended: no chunk follows this one.</summary>
    public bool IsFinal { get; } = isFinal;
}
