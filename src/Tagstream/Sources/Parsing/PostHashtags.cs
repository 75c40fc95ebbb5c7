using System.Text.Json;
using Tagstream.Hashtags;

namespace Tagstream.Sources.Parsing;

/// <summary>Builds a post's normalised hashtag list from a source's entities or, when it has none, from the raw text.</summary>
internal static class PostHashtags
{
    /// <summary>Reads the tag property of each object of an entity array (X <c>hashtags</c>, Mastodon <c>tags</c>).</summary>
    /// <remarks>A tag that cannot go on a protocol line (empty, with whitespace) is dropped; the post's other tags are kept.</remarks>
    public static List<string> FromEntities(JsonElement array, string tagProperty, string path)
    {
        var tags = new List<string>(array.GetArrayLength());
        foreach (var entity in JsonFields.Objects(array, path))
        {
            var raw = JsonFields.RequiredString(entity, tagProperty, $"{path}[].{tagProperty}");
            if (HashtagNormalizer.TryNormalizeEntity(raw, out var tag))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    /// <summary>Extracts and normalises the hashtags of a plain text with the twitter-text rules.</summary>
    public static List<string> FromText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var spans = new List<HashtagSpan>();
        HashtagExtractor.FindSpans(text, spans);
        return spans.ConvertAll(span => HashtagNormalizer.Normalize(text.Substring(span.TagStart, span.TagLength)));
    }
}
