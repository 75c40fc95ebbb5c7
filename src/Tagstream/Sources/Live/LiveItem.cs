namespace Tagstream.Sources.Live;

/// <summary>One record from a live stream that the feed cares about: a post, or a malformed record it skipped.</summary>
/// <param name="Post">The parsed post, or null for a malformed record (counted in <see cref="PostChunk.SkippedLines"/>).</param>
/// <param name="Position">The stream's position after this record, or null when the service cannot resume.</param>
/// <param name="Record">The raw payload in its recorded framing (ended by its line or event terminator), UTF-8; empty when skipped.</param>
internal sealed record LiveItem(Post? Post, SourcePosition? Position, byte[] Record);
