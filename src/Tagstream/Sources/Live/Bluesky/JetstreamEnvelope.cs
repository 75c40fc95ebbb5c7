using System.Text.Json;

namespace Tagstream.Sources.Live.Bluesky;

/// <summary>Reads the top-level <c>time_us</c> and <c>kind</c> of a Jetstream event, validating the whole JSON on the way.</summary>
internal static class JetstreamEnvelope
{
    /// <summary>Returns false when the text is not a JSON object with a numeric <c>time_us</c>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out long timeUs, out string kind)
    {
        timeUs = 0;
        kind = "";
        var hasTime = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    if (reader.ValueTextEquals("time_us"u8))
                    {
                        reader.Read();
                        hasTime = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out timeUs);
                    }
                    else if (reader.ValueTextEquals("kind"u8))
                    {
                        reader.Read();
                        kind = reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : "";
                    }
                }
            }

            // Reading to the end validated the rest of the document; trailing garbage would have thrown.
            return hasTime;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
