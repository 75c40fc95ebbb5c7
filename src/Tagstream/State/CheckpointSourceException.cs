namespace Tagstream.State;

/// <summary>
/// A checkpoint folder holds the totals of another source than the one a job reads: continuing it would add one
/// stream's counts to another's, so the job refuses (as Spark refuses to restart a query whose source changed).
/// </summary>
public sealed class CheckpointSourceException : Exception
{
    /// <summary>Creates the exception for a folder, the source it records and the job's source.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <param name="recorded">The identity of the source the folder's batches were counted from.</param>
    /// <param name="current">The identity of the job's source.</param>
    public CheckpointSourceException(string directory, string recorded, string current)
        : base($"The checkpoint in {directory} holds the totals of another source ({recorded}), not this job's ({current}): " +
            "continue it with the same source, or use another folder, or none, or discard it.")
    {
        Directory = directory;
        Recorded = recorded;
        Current = current;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public CheckpointSourceException()
        : base("The checkpoint holds the totals of another source.")
    {
        (Directory, Recorded, Current) = ("", "", "");
    }

    /// <summary>Creates the exception with a message.</summary>
    public CheckpointSourceException(string message)
        : base(message)
    {
        (Directory, Recorded, Current) = ("", "", "");
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CheckpointSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
        (Directory, Recorded, Current) = ("", "", "");
    }

    /// <summary>The checkpoint folder.</summary>
    public string Directory { get; }

    /// <summary>The identity of the source the folder's batches were counted from.</summary>
    public string Recorded { get; }

    /// <summary>The identity of the job's source.</summary>
    public string Current { get; }
}
