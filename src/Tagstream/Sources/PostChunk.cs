namespace Tagstream.Sources;

/// <summary>
/// A run of posts encoded as protocol lines (see docs/protocol.md): UTF-8 hashtags separated by spaces, one line per post.
/// </summary>
/// <remarks>
/// <see cref="Lines"/> holds whole lines only; every line ends with <c>\n</c> except, when <see cref="IsFinal"/> is set,
/// possibly the last one. The memory belongs to the source and is valid only until its next read.
/// </remarks>
/// <param name="Lines">The protocol lines.</param>
/// <param name="Posts">The posts behind the lines, one per line, when the source has their details (author, id); otherwise null.</param>
/// <param name="SkippedLines">Lines the source dropped as malformed since its previous chunk (for example longer than the line limit).</param>
/// <param name="Position">The source's position after these lines, or null when the source cannot resume.</param>
/// <param name="IsFinal">True when the source has ended: no chunk follows this one.</param>
public readonly record struct PostChunk(
    ReadOnlyMemory<byte> Lines,
    IReadOnlyList<Post>? Posts,
    long SkippedLines,
    SourcePosition? Position,
    bool IsFinal);
