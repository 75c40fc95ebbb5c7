using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tagstream.Cli.Dashboard;

/// <summary>The API's error answer: a status code and <c>{"error":"..."}</c>, one clear sentence.</summary>
internal static class JsonError
{
    /// <summary>Writes the error to <paramref name="context"/>'s response.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("error"u8, message);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
