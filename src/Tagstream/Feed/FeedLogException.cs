namespace Tagstream.Feed;

/// <summary>
/// A feed log folder that cannot be used: not writable, in use by another feed, written by another format version or
/// for another source, or damaged where it cannot be repaired. The message is one sentence for the user.
/// </summary>
public sealed class FeedLogException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public FeedLogException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and its cause.</summary>
    public FeedLogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public FeedLogException()
        : base("The feed log cannot be used.")
    {
    }
}
