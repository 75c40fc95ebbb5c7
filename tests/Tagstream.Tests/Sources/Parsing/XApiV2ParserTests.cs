using Tagstream.Sources;
using Tagstream.Sources.Parsing;
using static Tagstream.Tests.Sources.Parsing.ParserTestPayloads;

namespace Tagstream.Tests.Sources.Parsing;

public sealed class XApiV2ParserTests
{
    [Fact]
    public void Parse_NoteTweet_TakesItsEntitiesOverTheTruncatedOnes()
    {
        var outcome = XApiV2Parser.Parse(Utf8("""
            {"data":{"id":"1","text":"Long #one…","entities":{"hashtags":[{"start":5,"end":9,"tag":"one"}]},
             "note_tweet":{"text":"Long #one and #Two","entities":{"hashtags":[{"start":5,"end":9,"tag":"one"},{"start":14,"end":18,"tag":"Two"}]}}}}
            """));

        Assert.Equal(["one", "two"], outcome.Post!.Hashtags);
        Assert.Equal("Long #one and #Two", outcome.Text);
    }

    [Fact]
    public void Parse_NoteTweetWithoutEntities_ExtractsFromItsText()
    {
        var outcome = XApiV2Parser.Parse(Utf8("""{"data":{"id":"1","text":"Long #one…","note_tweet":{"text":"Long #one and #Two"}}}"""));

        Assert.Equal(["one", "two"], outcome.Post!.Hashtags);
    }

    [Fact]
    public void Parse_NoEntities_ExtractsFromUnescapedText()
    {
        // "&amp;#no" is "&#no" as written: not a tag. "&lt;#yes" is "<#yes": a tag.
        var outcome = XApiV2Parser.Parse(Utf8("""{"data":{"id":"1","text":"&amp;#no &lt;#yes #Ok &amp;amp;"}}"""));

        Assert.Equal(["yes", "ok"], outcome.Post!.Hashtags);
        Assert.Equal("&#no <#yes #Ok &amp;", outcome.Text);
    }

    [Fact]
    public void Parse_EntitiesWithoutHashtags_NoHashtags()
    {
        var outcome = XApiV2Parser.Parse(Utf8("""{"data":{"id":"1","text":"#notused","entities":{"urls":[]}}}"""));

        Assert.Empty(outcome.Post!.Hashtags);
    }

    [Fact]
    public void Parse_ExpandedAuthor_UsernameOfTheMatchingUser()
    {
        var outcome = XApiV2Parser.Parse(Utf8("""
            {"data":{"id":"1","author_id":"7","text":"hi","created_at":"2026-07-04T14:38:07.000Z","lang":"fr"},
             "includes":{"users":[{"id":"6","username":"other"},{"id":"7","name":"Ann Example","username":"ann"}]}}
            """));

        var post = outcome.Post!;
        Assert.Equal("ann", post.Author);
        Assert.Equal("fr", post.Language);
        Assert.Equal(new DateTimeOffset(2026, 7, 4, 14, 38, 7, TimeSpan.Zero), post.CreatedAt);
    }

    [Fact]
    public void Parse_EntityTag_NormalisedToNfcLowerCase()
    {
        var outcome = XApiV2Parser.Parse(Utf8("""{"data":{"id":"1","text":"x","entities":{"hashtags":[{"tag":"CAFE\u0301"},{"tag":"İstanbul"}]}}}"""));

        Assert.Equal(["caf\u00e9", "İstanbul".ToLowerInvariant()], outcome.Post!.Hashtags);
    }

    [Fact]
    public void Parse_DataWithErrors_IsAPost()
    {
        var outcome = XApiV2Parser.Parse(Utf8("""{"data":{"id":"1","text":"#a"},"errors":[{"title":"Not Found Error"}]}"""));

        Assert.Equal(ParseOutcomeKind.Post, outcome.Kind);
    }

    [Fact]
    public void Parse_TooManyConnections_StreamErrorWithConnectionIssue()
    {
        var outcome = XApiV2Parser.Parse(Utf8("""
            {"errors":[{"title":"ConnectionException","detail":"This stream is currently at the maximum allowed connection limit.","connection_issue":"TooManyConnections","type":"https://api.x.com/2/problems/streaming-connection"}]}
            """));

        Assert.Equal(ParseOutcomeKind.StreamError, outcome.Kind);
        Assert.Equal(new StreamError("ConnectionException", "https://api.x.com/2/problems/streaming-connection",
            "This stream is currently at the maximum allowed connection limit.", "TooManyConnections"), outcome.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n")]
    [InlineData("  ")]
    public void Parse_BlankLine_KeepAlive(string line)
    {
        var outcome = XApiV2Parser.Parse(Utf8(line));

        Assert.Equal(ParseOutcomeKind.Skip, outcome.Kind);
        Assert.Equal(SkipReason.KeepAlive, outcome.SkipReason);
    }
}
