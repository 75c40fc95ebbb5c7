using System.Text;

namespace Tagstream.Sources.Live.X;

/// <summary>Builds the filtered-stream rule for a feed's terms (https://docs.x.com/x-api/posts/filtered-stream/integrate/build-a-rule).</summary>
internal static class XRule
{
    /// <summary>The tag that marks a rule as Tagstream's, so a later run can tell its own stale rules from the app's others.</summary>
    public const string Tag = "tagstream";

    /// <summary>
    /// <c>(t1 OR t2) has:hashtags -is:retweet</c>, plus <c>lang:xx</c> when a language is given. A term with spaces or
    /// rule syntax in it is quoted as an exact phrase.
    /// </summary>
    public static string Build(IReadOnlyList<string> terms, string? language)
    {
        if (terms.Count == 0)
        {
            throw new ArgumentException("X needs at least one term: a rule of has:hashtags alone is rejected.", nameof(terms));
        }

        var rule = new StringBuilder("(");
        for (var i = 0; i < terms.Count; i++)
        {
            if (i > 0)
            {
                rule.Append(" OR ");
            }

            AppendTerm(rule, terms[i].Trim());
        }

        rule.Append(") has:hashtags -is:retweet");
        if (!string.IsNullOrWhiteSpace(language))
        {
            rule.Append(" lang:").Append(language.Trim());
        }

        return rule.ToString();
    }

    private static void AppendTerm(StringBuilder rule, string term)
    {
        if (term.Length > 0 && !term.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '"' or ':'))
        {
            rule.Append(term);
            return;
        }

        rule.Append('"').Append(term.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
    }
}
