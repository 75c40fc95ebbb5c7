namespace Tagstream.State;

/// <summary>
/// A checkpoint folder that cannot be recovered without risking wrong totals (for example written by another
/// format version); the message says what is wrong and what the user can do.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public CheckpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and its cause.</summary>
    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public CheckpointException()
        : base("The checkpoint cannot be recovered.")
    {
    }
}
