using System.Text.Json;

namespace Tagstream.Sources.Live.X;

/// <summary>
/// Reads a stream line's top-level <c>matching_rules</c>: the app's other rules feed the same stream, and only posts
/// that matched Tagstream's rule belong to the feed
/// (https://docs.x.com/x-api/posts/filtered-stream/integrate/matching-returned-posts).
/// </summary>
internal static class XMatchingRules
{
    /// <summary>False only when the line lists its matching rules and none is tagged <see cref="XRule.Tag"/>.</summary>
    public static bool MatchesOurs(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return true;
            }

            while (reader.Read() && reader.CurrentDepth >= 1)
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (!reader.ValueTextEquals("matching_rules"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                return reader.TokenType != JsonTokenType.StartArray || AnyOurs(ref reader);
            }
        }
        catch (JsonException)
        {
            // Malformed: the parser reports it.
        }

        return true;
    }

    private static bool AnyOurs(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 2 && reader.ValueTextEquals("tag"u8) &&
                reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(XRule.Tag))
            {
                return true;
            }
        }

        return false;
    }
}
