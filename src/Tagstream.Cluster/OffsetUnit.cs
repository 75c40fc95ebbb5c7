namespace Tagstream.Cluster;

/// <summary>What one step of an input's <see cref="SourcePosition.Offset"/> is: where a replayed batch is cut.</summary>
internal enum OffsetUnit
{
    /// <summary>A line (a post): feed sockets and the synthetic stream.</summary>
    Lines,

    /// <summary>A byte of the input: replay files of protocol lines.</summary>
    Bytes,
}
