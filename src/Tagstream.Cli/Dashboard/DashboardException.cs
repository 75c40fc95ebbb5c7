namespace Tagstream.Cli.Dashboard;

/// <summary>The dashboard cannot start as asked; the message is one line meant for the user.</summary>
public sealed class DashboardException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DashboardException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public DashboardException(string message)
        : base(message)
    {
    }

    /// <summary>True when the address could not be had because something else listens there.</summary>
    public bool AddressInUse { get; init; }

    /// <summary>Creates the exception with a message for the user and its cause.</summary>
    public DashboardException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
