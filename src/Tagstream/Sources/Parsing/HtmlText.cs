using System.Net;
using System.Text;

namespace Tagstream.Sources.Parsing;

/// <summary>Turns the HTML-flavoured texts of X and Mastodon into plain text before raw-text hashtag extraction.</summary>
internal static class HtmlText
{
    /// <summary>
    /// Undoes X's escaping of post text, which replaces exactly <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c>
    /// (https://docs.x.com/x-api/fundamentals/post-text): without it <c>&amp;amp;#tag</c> would read as a hashtag,
    /// where the post's author wrote <c>&amp;#tag</c>, which is none. Other entities are left alone: X does not produce them.
    /// </summary>
    public static string UnescapeX(string text)
    {
        var amp = text.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, amp);
        for (var i = amp; i < text.Length; i++)
        {
            var rest = text.AsSpan(i);
            if (rest.StartsWith("&amp;", StringComparison.Ordinal))
            {
                builder.Append('&');
                i += 4;
            }
            else if (rest.StartsWith("&lt;", StringComparison.Ordinal))
            {
                builder.Append('<');
                i += 3;
            }
            else if (rest.StartsWith("&gt;", StringComparison.Ordinal))
            {
                builder.Append('>');
                i += 3;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Mastodon's status <c>content</c> is HTML: drops the tags (a line or paragraph break becomes a newline, so words
    /// on either side stay apart), then decodes the character references.
    /// </summary>
    public static string MastodonContentToText(string html)
    {
        var builder = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var open = html.IndexOf('<', i);
            if (open < 0)
            {
                builder.Append(html, i, html.Length - i);
                break;
            }

            builder.Append(html, i, open - i);
            var close = html.IndexOf('>', open);
            if (close < 0)
            {
                break;
            }

            var tag = html.AsSpan(open + 1, close - open - 1);
            if (tag.StartsWith("br", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("/p", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append('\n');
            }

            i = close + 1;
        }

        return WebUtility.HtmlDecode(builder.ToString()).TrimEnd('\n');
    }
}
