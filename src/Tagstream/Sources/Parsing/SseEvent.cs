namespace Tagstream.Sources.Parsing;

/// <summary>One Server-Sent Event, or one comment line, as framed by <see cref="SseEventAssembler"/>.</summary>
/// <param name="EventName">The value of the <c>event:</c> field, or null when the event had none.</param>
/// <param name="Data">The <c>data:</c> lines joined with <c>\n</c> (UTF-8); owned by the assembler until its next line.</param>
/// <param name="IsComment">True for a comment line (starting with <c>:</c>), which servers send as heartbeats.</param>
internal readonly record struct SseEvent(string? EventName, ReadOnlyMemory<byte> Data, bool IsComment);
