namespace Tagstream.Cluster;

/// <summary>Receives one hashtag of a <see cref="ShardChanges"/> and its count in the batch.</summary>
internal delegate void ShardChangeVisitor<in TState>(TState state, ReadOnlySpan<byte> hashtag, long delta);
