using Tagstream.Sources;
using Tagstream.Sources.Parsing;
using static Tagstream.Tests.Sources.Parsing.ParserTestPayloads;

namespace Tagstream.Tests.Sources.Parsing;

public sealed class TwitterV11ParserTests
{
    [Fact]
    public void Parse_Truncated_TakesExtendedTweetEntities()
    {
        var outcome = TwitterV11Parser.Parse(Utf8("""
            {"id_str":"5","text":"A #one…","truncated":true,"entities":{"hashtags":[{"text":"one","indices":[2,6]}]},
             "extended_tweet":{"full_text":"A #one #two","entities":{"hashtags":[{"text":"one","indices":[2,6]},{"text":"Two","indices":[7,11]}]}}}
            """));

        Assert.Equal(["one", "two"], outcome.Post!.Hashtags);
        Assert.Equal("A #one #two", outcome.Text);
    }

    [Fact]
    public void Parse_NumericIdAndNoEntities_IdKeptAndTagsFromUnescapedText()
    {
        var outcome = TwitterV11Parser.Parse(Utf8("""{"id":994633657141813249,"text":"&amp;#no #yes","timestamp_ms":"1525974117000"}"""));

        Assert.Equal("994633657141813249", outcome.Post!.Id);
        Assert.Equal(["yes"], outcome.Post.Hashtags);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1525974117000), outcome.Post.CreatedAt);
    }

    [Theory]
    [InlineData("""{"delete":{"status":{"id":1}}}""", SkipReason.Delete)]
    [InlineData("""{"limit":{"track":12,"timestamp_ms":"1"}}""", SkipReason.Limit)]
    [InlineData("""{"scrub_geo":{"user_id":1}}""", SkipReason.OtherEvent)]
    [InlineData("\r\n", SkipReason.KeepAlive)]
    public void Parse_NoticeLine_Skipped(string line, SkipReason reason)
    {
        var outcome = TwitterV11Parser.Parse(Utf8(line));

        Assert.Equal(ParseOutcomeKind.Skip, outcome.Kind);
        Assert.Equal(reason, outcome.SkipReason);
    }
}
