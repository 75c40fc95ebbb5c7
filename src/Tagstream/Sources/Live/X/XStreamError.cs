using System.Text.Json;

namespace Tagstream.Sources.Live.X;

/// <summary>
/// An error object sent inside the stream in place of a post, such as <c>operational-disconnect</c> or
/// <c>TooManyConnections</c> (https://docs.x.com/x-api/posts/filtered-stream/integrate/handling-disconnections).
/// A line with <c>data</c> and <c>errors</c> is a post with partial errors, not a stream error.
/// </summary>
internal sealed record XStreamError(string Title, string? Detail, string? Type, string? ConnectionIssue)
{
    private static ReadOnlySpan<byte> ErrorsProperty => "\"errors\""u8;

    private static ReadOnlySpan<byte> DataProperty => "\"data\""u8;

    /// <summary>True when the stream must be re-opened: X ended it on purpose.</summary>
    public bool IsOperationalDisconnect =>
        Title == "operational-disconnect" || (Type?.EndsWith("/operational-disconnect", StringComparison.Ordinal) ?? false);

    /// <summary>True when another connection of the same app holds the stream (one connection per app).</summary>
    public bool IsTooManyConnections =>
        ConnectionIssue == "TooManyConnections" || Title == "ConnectionException";

    /// <summary>
    /// Reads a stream error from a line, or returns null when the line is anything else. Two shapes exist:
    /// <c>{"errors":[{"title":...}]}</c> and a bare problem object <c>{"title":"ConnectionException",...,"connection_issue":...}</c>.
    /// </summary>
    public static XStreamError? TryRead(byte[] line)
    {
        // Cheap test first: posts far outnumber errors, and every post has "data".
        if (line.AsSpan().IndexOf(ErrorsProperty) < 0 && line.AsSpan().IndexOf(DataProperty) >= 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("data", out _))
            {
                return null;
            }

            JsonElement first;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                first = errors[0];
            }
            else if (Text(root, "title") is not null)
            {
                first = root;
            }
            else
            {
                return null;
            }

            return new XStreamError(
                Text(first, "title") ?? "error",
                Text(first, "detail"),
                Text(first, "type"),
                Text(first, "connection_issue") ?? Text(root, "connection_issue"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
