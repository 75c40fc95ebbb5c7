using System.Globalization;
using System.Text.Json;

namespace Tagstream.Sources.Parsing;

/// <summary>
/// Typed access to the fields of a JSON record that a service does not guarantee: an absent or null field is absent, a
/// field of the wrong type makes the record malformed (with the field's path in the message).
/// </summary>
internal static class JsonFields
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Parses <paramref name="payload"/> as one JSON object and reads it with <paramref name="read"/>, never throwing.</summary>
    public static ParseOutcome Parse(ReadOnlyMemory<byte> payload, Func<JsonElement, ParseOutcome> read)
    {
        try
        {
            using var document = JsonDocument.Parse(payload, DocumentOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? read(document.RootElement)
                : ParseOutcome.Malformed("not a JSON object");
        }
        catch (JsonException)
        {
            return ParseOutcome.Malformed("invalid JSON");
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString throws this on a string that is not valid UTF-8.
            return ParseOutcome.Malformed("invalid UTF-8 in a JSON string");
        }
        catch (MalformedRecordException exception)
        {
            return ParseOutcome.Malformed(exception.Message);
        }
    }

    public static bool IsBlank(ReadOnlySpan<byte> payload) => payload.Trim(" \t\r\n"u8).IsEmpty;

    public static JsonElement? Object(JsonElement parent, string name, string path) =>
        Get(parent, name, JsonValueKind.Object, path, "an object");

    public static JsonElement? Array(JsonElement parent, string name, string path) =>
        Get(parent, name, JsonValueKind.Array, path, "an array");

    public static string? String(JsonElement parent, string name, string path) =>
        Get(parent, name, JsonValueKind.String, path, "a string")?.GetString();

    public static string RequiredString(JsonElement parent, string name, string path) =>
        String(parent, name, path) ?? throw new MalformedRecordException($"missing {path}");

    /// <summary>An identifier sent as a string or, in older payloads, as a number.</summary>
    public static string RequiredId(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new MalformedRecordException($"missing {path}");
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new MalformedRecordException($"{path} is not a string or number"),
        };
    }

    public static long? Int64(JsonElement parent, string name, string path)
    {
        var value = Get(parent, name, JsonValueKind.Number, path, "a number");
        return value is null ? null
            : value.Value.TryGetInt64(out var number) ? number
            : throw new MalformedRecordException($"{path} is not a 64-bit integer");
    }

    public static bool? Boolean(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new MalformedRecordException($"{path} is not a boolean"),
        };
    }

    /// <summary>An ISO 8601 date; one that does not parse is left out rather than losing the post's hashtags.</summary>
    public static DateTimeOffset? IsoDate(JsonElement parent, string name, string path) =>
        DateTimeOffset.TryParse(String(parent, name, path), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date)
            ? date
            : null;

    /// <summary>The elements of an array field that must all be objects.</summary>
    public static IEnumerable<JsonElement> Objects(JsonElement array, string path)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedRecordException($"{path}[] is not an object");
            }

            yield return item;
        }
    }

    private static JsonElement? Get(JsonElement parent, string name, JsonValueKind kind, string path, string what)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == kind ? value : throw new MalformedRecordException($"{path} is not {what}");
    }
}
