namespace Tagstream.Query;

/// <summary>What the job's SQL query returned after one batch.</summary>
/// <param name="Columns">The result's column names.</param>
/// <param name="Rows">
/// The rows; each value is a <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <c>byte[]</c> or
/// null, as SQLite typed it.
/// </param>
/// <param name="Error">
/// Null when the query ran; otherwise SQLite's one-line message for this batch's failure (the rows are then empty), to be
/// reported once for the batch while the stream goes on.
/// </param>
public sealed record SqlQueryResult(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows, string? Error);
