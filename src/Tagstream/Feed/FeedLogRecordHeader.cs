
namespace Tagstream.Feed;

/// <summary>
/// The header of one record of a feed log: a chunk of whole lines as the feed served it, where it falls in the run, and
/// the source position from which the source continues after it.
/// </summary>
/// <param name="PayloadLength">The bytes of the lines.</param>
/// <param name="LineCount">The lines (each ends with <c>\n</c>).</param>
/// <param name="FirstLine">The run's number of the first line.</param>
/// <param name="FirstByte">The run's byte offset of the first line.</param>
/// <param name="Position">
/// The latest source position known at the end of the record (the chunk's own, or carried over from an earlier
/// record when the chunk had none), or null when the source has given none yet.
/// </param>
/// <param name="LinesSincePosition">Lines of the log after <paramref name="Position"/>, up to the end of this record.</param>
internal readonly record struct FeedLogRecordHeader(
    int PayloadLength,
    int LineCount,
    long FirstLine,
    long FirstByte,
    SourcePosition? Position,
    long LinesSincePosition)
{
    public long EndLine => FirstLine + LineCount;

    public long EndByte => FirstByte + PayloadLength;
}
