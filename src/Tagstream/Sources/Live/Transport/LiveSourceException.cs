namespace Tagstream.Sources.Live.Transport;

/// <summary>
/// A live source stopped because going on makes no sense (a missing or rejected credential, a wrong URL).
/// The message is one line meant for the user and never holds a credential.
/// </summary>
public sealed class LiveSourceException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public LiveSourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and the failure behind it.</summary>
    public LiveSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public LiveSourceException()
        : base("The live source stopped.")
    {
    }
}
