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

    /// <summary>Creates the exception with a message for the user and its cause.</summary>
    public DashboardException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
