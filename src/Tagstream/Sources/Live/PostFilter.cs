using System.Text;

namespace Tagstream.Sources.Live;

/// <summary>
/// The client-side filter of streams the service does not filter for us (Jetstream, Mastodon's public stream): a post
/// matches when one of its hashtags is a term or its text holds a term as a whole word, ignoring case; and, when a
/// language is asked for, when the post is in it.
/// </summary>
internal sealed class PostFilter
{
    private readonly string[] _terms;
    private readonly string? _language;

    public PostFilter(IReadOnlyList<string> terms, string? language)
    {
        _terms = [.. terms.Select(Normalize).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)];
        _language = string.IsNullOrWhiteSpace(language) ? null : language.Trim();
    }

    public bool Matches(Post post, string? text) => MatchesLanguage(post.Language) && MatchesTerms(post.Hashtags, text);

    /// <summary>As hashtags are normalised: NFC, lower-case invariant, no leading <c>#</c>.</summary>
    private static string Normalize(string term) =>
        term.Trim().TrimStart('#', '＃').Normalize(NormalizationForm.FormC).ToLowerInvariant();

    private bool MatchesLanguage(string? language) =>
        _language is null ||
        (language is not null &&
         (language.Equals(_language, StringComparison.OrdinalIgnoreCase) ||
          (language.Length > _language.Length && language[_language.Length] == '-' &&
           language.StartsWith(_language, StringComparison.OrdinalIgnoreCase))));

    private bool MatchesTerms(IReadOnlyList<string> hashtags, string? text)
    {
        if (_terms.Length == 0)
        {
            return true;
        }

        foreach (var term in _terms)
        {
            if (hashtags.Contains(term, StringComparer.Ordinal) || (text is not null && ContainsWord(text, term)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsWord(string text, string term)
    {
        for (var at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase); at >= 0;
             at = text.IndexOf(term, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + term.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return true;
            }
        }

        return false;
    }
}
