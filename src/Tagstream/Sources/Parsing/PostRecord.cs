namespace Tagstream.Sources.Parsing;

/// <summary>One record read by <see cref="PostRecordReader"/>.</summary>
/// <param name="Outcome">What the record was.</param>
/// <param name="Line">The 1-based number of the record's last line in the stream (counted from the start offset), for messages.</param>
/// <param name="EndOffset">The byte offset just after the record: reading can resume there.</param>
public readonly record struct PostRecord(ParseOutcome Outcome, long Line, long EndOffset);
