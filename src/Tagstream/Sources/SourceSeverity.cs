namespace Tagstream.Sources;

/// <summary>How much a <see cref="SourceStatus"/> matters.</summary>
public enum SourceSeverity
{
    /// <summary>A state change worth showing: connected, reconnected, resumed.</summary>
    Info,

    /// <summary>Something went wrong and the source carries on: a dropped connection, a skipped record.</summary>
    Warning,

    /// <summary>The source cannot go on: a rejected credential, an unreadable file.</summary>
    Error,
}
