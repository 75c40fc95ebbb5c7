namespace Tagstream.State;

/// <summary>What a checkpoint file holds; the value is stored in the file header.</summary>
internal enum CheckpointFileKind : byte
{
    /// <summary>The new totals of the hashtags that changed in one batch.</summary>
    Delta = 1,

    /// <summary>Every hashtag's total after a batch.</summary>
    Snapshot = 2,
}
