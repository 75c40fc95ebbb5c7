namespace Tagstream.Query;

/// <summary>A SQL query that cannot run: a syntax error, an unknown table, or a statement that writes.</summary>
public sealed class SqlQueryException : Exception
{
    /// <summary>Creates the exception with a one-line message for the user.</summary>
    public SqlQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message for the user and its cause.</summary>
    public SqlQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SqlQueryException()
        : base("The SQL query cannot run.")
    {
    }
}
