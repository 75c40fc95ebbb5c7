using System.Globalization;
using System.Text;

namespace Tagstream.Tests.Sources.Parsing;

/// <summary>
/// Makes random posts whose hashtags are known: tags mixing ASCII, accented (precomposed and decomposed), CJK, Cyrillic
/// and astral-plane letters, often right after an emoji so UTF-16, code-point and UTF-8 offsets differ, among decoys that
/// the twitter-text rules must not take for tags (<c>C#</c>, <c>#123</c>, <c>&amp;#x</c>, URLs with fragments).
/// </summary>
internal sealed class PostGenerator(int seed)
{
    private static readonly string[] FirstWords = ["Shipping", "Learning", "Écoute", "Привет", "Today", "\U0001F680 Launch"];

    private static readonly string[] Words =
    [
        "today", "with", "会議中", "naïve", "Straße", "\U0001F600", "\U0001F680", "\u270C\uFE0F", "AT&T", "x&#y", "C#",
        "#123", "#_", "a#b", "http://example.com/#anchor", "www.example.org/#frag", "example.com/#x", "\U0001D400\U0001D401",
        "$AAPL", "(ok)", "&amp;", "<b>", "\"quoted\"",
    ];

    private static readonly string[] Emoji = ["\U0001F600", "\U0001F680", "\u270C\uFE0F", "\U0001F44D\U0001F3FF", "\u2764"];

    private static readonly string[] Letters =
    [
        "a", "b", "z", "Q", "X", "é", "e\u0301", "ñ", "ß", "漢", "字", "カ", "タ", "ー", "한", "국", "ж", "Ж", "λ", "Ω",
        "\U0001D400", "\U00010330", "\U00020000", "ı",
    ];

    private static readonly string[] Others = ["0", "7", "_", "\u0301", "\u0662", "\u30FB", "\u00B7"];

    private static readonly string[] Terminators = [" ", "! ", ", ", ". ", "? ", ": ", "\u3002"];

    private readonly Random _random = new(seed);

    public GeneratedPost Next(int index, bool allowNewlines)
    {
        var text = new StringBuilder(Pick(FirstWords)).Append(' ');
        var tags = new List<(int, int, string)>();
        var segments = _random.Next(0, 9);
        for (var i = 0; i < segments; i++)
        {
            if (_random.Next(3) == 0)
            {
                text.Append(Pick(Words)).Append(allowNewlines && _random.Next(4) == 0 ? '\n' : ' ');
                continue;
            }

            if (_random.Next(2) == 0)
            {
                // An emoji right before the hash sign: allowed by the rules, and it shifts every kind of offset differently.
                text.Append(Pick(Emoji));
            }

            var raw = Tag();
            tags.Add((text.Length, raw.Length + 1, raw));
            text.Append(_random.Next(5) == 0 ? '\uFF03' : '#').Append(raw).Append(Pick(Terminators));
        }

        var truth = tags.ConvertAll(t => t.Item3.Normalize(NormalizationForm.FormC).ToLowerInvariant());
        var createdAt = new DateTimeOffset(2026, 7, 4, 14, 0, 0, TimeSpan.Zero).AddSeconds(index * 3);
        return new GeneratedPost((1790000000000000000L + index).ToString(CultureInfo.InvariantCulture), text.ToString(), tags, truth, createdAt);
    }

    public string Pick(string[] items) => items[_random.Next(items.Length)];

    public bool Chance(int oneIn) => _random.Next(oneIn) == 0;

    private string Tag()
    {
        var tag = new StringBuilder(Pick(Letters));
        var more = _random.Next(0, 8);
        for (var i = 0; i < more; i++)
        {
            tag.Append(_random.Next(3) == 0 ? Pick(Others) : Pick(Letters));
        }

        return tag.ToString();
    }
}
