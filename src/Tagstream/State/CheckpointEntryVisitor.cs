namespace Tagstream.State;

/// <summary>Receives one (hashtag, total) entry of a checkpoint file; the span is valid only during the call.</summary>
internal delegate void CheckpointEntryVisitor(ReadOnlySpan<byte> hashtag, long total);
