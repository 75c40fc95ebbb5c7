using System.Text.RegularExpressions;
using Tagstream.Counting;

namespace Tagstream.Tests.Hashtags;

/// <summary>
/// A naive, regex-based restatement of the hashtag rules, for texts of the basic multilingual plane (a .NET regex sees
/// UTF-16 code units, so it cannot judge letters outside it).
/// </summary>
internal static partial class RegexHashtagReference
{
    private const string TagCharacters = @"\p{L}\p{M}\p{Nd}_\u200C\u200D\uA67E\u05BE\u05F3\u05F4\uFF5E\u301C\u309B\u309C\u30A0\u30FB\u3003\u0F0B\u0F0C\u00B7";

    public static List<string> Extract(string text)
    {
        var tags = new List<string>();
        foreach (Match match in Candidate().Matches(text))
        {
            var tag = match.Groups["tag"].Value;
            var after = text.AsSpan(match.Index + match.Length);
            var endsBadly = after.StartsWith("#") || after.StartsWith("＃") || after.StartsWith("://");
            if (tag.Any(char.IsLetter) && !endsBadly && !InUrl(text, match.Index))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    private static bool InUrl(string text, int hash)
    {
        var wordStart = hash;
        while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1]))
        {
            wordStart--;
        }

        var prefix = text[wordStart..hash];
        return prefix.Contains("://", StringComparison.Ordinal) || HostThenPath().IsMatch(prefix);
    }

    [GeneratedRegex(@"(?<=^|[\uFE0E\uFE0F]|[^&" + TagCharacters + @"])[#＃](?![\uFE0F\u20E3])(?<tag>[" + TagCharacters + "]+)")]
    private static partial Regex Candidate();

    [GeneratedRegex(@"(?<![A-Za-z0-9.\-])(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}[/?]")]
    private static partial Regex HostThenPath();
}
