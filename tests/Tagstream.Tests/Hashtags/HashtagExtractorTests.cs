using System.Text;
using Tagstream.Hashtags;

namespace Tagstream.Tests.Hashtags;

public sealed class HashtagExtractorTests
{
    [Theory]
    [InlineData("\U0001F680#rocket", "rocket")]
    [InlineData("#\U0001D400\U0001D401", "\U0001D400\U0001D401")]
    [InlineData("#\U00010330\U00010331 #\U00020000x", "\U00010330\U00010331 \U00020000x")]
    [InlineData("\U0001D400#no", "")]
    [InlineData("#1\U0001D400", "1\U0001D400")]
    [InlineData("x&#no AT&T #yes", "yes")]
    [InlineData("#\uFE0F\u20E3 #\u20E3abc #ok", "ok")]
    [InlineData("#a#b #c＃d #e://x #f:// #g: #h", "g h")]
    [InlineData("https://example.com/#anchor example.org/path#x www.example.net/?q=#y (see example.com/#z) #real", "real")]
    [InlineData("text。example.com/#no 1.5/#yes", "yes")]
    [InlineData("##double", "double")]
    [InlineData("#tag\u200Dwith\u200Cjoiners", "tag\u200Dwith\u200Cjoiners")]
    [InlineData("#caf\u00e9 #cafe\u0301", "caf\u00e9 cafe\u0301")]
    public void Extract_Text_TagsAsWritten(string text, string expected) =>
        Assert.Equal(expected, string.Join(' ', HashtagExtractor.Extract(text)));

    [Fact]
    public void Extract_HugeTextWithoutWhitespace_EveryTagFound()
    {
        // One 3-million-character word holding a million tags: looking for URLs must not make this quadratic.
        var text = string.Concat(Enumerable.Repeat("(#a", 1_000_000));

        Assert.Equal(1_000_000, HashtagExtractor.Extract(text).Count);
    }

    [Fact]
    public void Extract_TagsBeforeAndInsideALongUrlInOneWord_OnlyThoseBeforeTheUrl()
    {
        var path = new string('p', 5000);

        Assert.Equal(["a", "b"], HashtagExtractor.Extract($"(#a(#b(https://example.com/{path}/#c/#d?x=#e"));
    }

    [Fact]
    public void Extract_LoneSurrogates_NoTagAcrossThem()
    {
        Assert.Equal(["ab"], HashtagExtractor.Extract("#ab\uD800cd \uDC00#"));
    }

    [Theory]
    [InlineData("CAFE\u0301", "caf\u00e9")]
    [InlineData("DotNet", "dotnet")]
    [InlineData("\U0001D400", "\U0001D400")]
    [InlineData("ΣΑΣ", "σασ")]
    public void Normalize_Tag_NfcThenLowerInvariant(string tag, string expected) =>
        Assert.Equal(expected, HashtagNormalizer.Normalize(tag));

    [Theory]
    [InlineData("#DotNet", true, "dotnet")]
    [InlineData("＃Tag", true, "tag")]
    [InlineData("", false, "")]
    [InlineData("#", false, "")]
    [InlineData("two words", false, "")]
    [InlineData("tab\tbed", false, "")]
    [InlineData("nul\0", false, "")]
    [InlineData("no\u3000break", false, "")]
    [InlineData(null, false, "")]
    public void TryNormalizeEntity_SourceTag_RefusesWhatBreaksAProtocolLine(string? raw, bool accepted, string expected)
    {
        Assert.Equal(accepted, HashtagNormalizer.TryNormalizeEntity(raw, out var tag));
        Assert.Equal(expected, tag);
    }

    [Fact]
    public void TryNormalizeEntity_LoneSurrogate_Refused()
    {
        // Not a theory case: xunit's serialisation of theory data would replace the lone surrogate.
        Assert.False(HashtagNormalizer.TryNormalizeEntity("lone\uD800", out _));
    }

    /// <summary>Random texts over the characters the rules care about, against a regex restatement of the rules.</summary>
    [Fact]
    public void Extract_RandomTexts_SameAsRegexReference()
    {
        string[] pieces =
        [
            "#", "#", "#", "＃", "&", "://", "/", "?", ".", "-", " ", " ", "\n", "a", "B", "z", "1", "_", "é", "\u0301",
            "漢", "カ", "\uFE0F", "\uFE0E", "\u20E3", "\u200D", "·", "\u3003", "com", "www.", "http", "!", "。", "٢", "✌",
        ];
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            for (var round = 0; round < 200; round++)
            {
                var text = new StringBuilder();
                var length = random.Next(0, 30);
                for (var i = 0; i < length; i++)
                {
                    text.Append(pieces[random.Next(pieces.Length)]);
                }

                var input = text.ToString();
                var expected = RegexHashtagReference.Extract(input);
                var actual = HashtagExtractor.Extract(input);
                Assert.True(expected.SequenceEqual(actual),
                    $"seed {seed} round {round}: \"{Escape(input)}\": expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
            }
        }
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
}
