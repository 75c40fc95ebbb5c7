namespace Tagstream.Sources;

/// <summary>
/// Something a source wants its user to know: a connection made or lost, a credential missing, a bad record.
/// Sources report through an <see cref="IProgress{T}"/> of these; the command line prints each as one line.
/// </summary>
/// <param name="Source">The source's name.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Message">One sentence, with no secret in it.</param>
public sealed record SourceStatus(string Source, SourceSeverity Severity, string Message);
