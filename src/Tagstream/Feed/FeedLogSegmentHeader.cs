namespace Tagstream.Feed;

/// <summary>The header of one segment file of a feed log: whose run it belongs to and where it starts.</summary>
/// <param name="FirstLine">The run's number of the segment's first line.</param>
/// <param name="FirstByte">The run's byte offset of the segment's first line.</param>
/// <param name="RunId">The feed run the log continues.</param>
/// <param name="Source">The identity of the source (<see cref="FeedLogOptions.Source"/>).</param>
internal sealed record FeedLogSegmentHeader(long FirstLine, long FirstByte, string RunId, string Source);
