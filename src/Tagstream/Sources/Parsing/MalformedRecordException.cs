namespace Tagstream.Sources.Parsing;

/// <summary>
/// Ends the reading of one record that does not have the expected shape. Never leaves a parser: each public entry point
/// turns it into <see cref="ParseOutcomeKind.Malformed"/> with the message as the one-line problem.
/// </summary>
internal sealed class MalformedRecordException(string problem) : Exception(problem);
