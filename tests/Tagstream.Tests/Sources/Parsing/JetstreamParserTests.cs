using Tagstream.Sources;
using Tagstream.Sources.Parsing;
using static Tagstream.Tests.Sources.Parsing.ParserTestPayloads;

namespace Tagstream.Tests.Sources.Parsing;

public sealed class JetstreamParserTests
{
    private static string Create(string record) =>
        $$$"""{"did":"did:plc:a","time_us":17,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"k","record":{{{record}}}}}""";

    [Fact]
    public void Parse_TagFacets_InTextOrderWithoutCashtags()
    {
        var outcome = JetstreamParser.Parse(Utf8(Create("""
            {"text":"#b $AAPL #a","facets":[
              {"index":{"byteStart":9,"byteEnd":11},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"A"}]},
              {"index":{"byteStart":3,"byteEnd":8},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"$AAPL"}]},
              {"index":{"byteStart":0,"byteEnd":2},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"b"}]},
              {"index":{"byteStart":0,"byteEnd":2},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://x.example"}]}]}
            """)));

        Assert.Equal(["b", "a"], outcome.Post!.Hashtags);
        Assert.Equal(17, outcome.Cursor);
    }

    [Fact]
    public void Parse_NoFacets_ExtractsFromText()
    {
        var outcome = JetstreamParser.Parse(Utf8(Create("""{"text":"\ud83d\ude80#Rocket and #two"}""")));

        Assert.Equal(["rocket", "two"], outcome.Post!.Hashtags);
    }

    [Theory]
    [InlineData("""{"did":"d","time_us":5,"kind":"identity","identity":{}}""", SkipReason.IdentityEvent)]
    [InlineData("""{"did":"d","time_us":5,"kind":"account","account":{}}""", SkipReason.AccountEvent)]
    [InlineData("""{"did":"d","time_us":5,"kind":"commit","commit":{"operation":"update","collection":"app.bsky.feed.post","rkey":"k","record":{"text":"#a"}}}""", SkipReason.OtherEvent)]
    [InlineData("""{"did":"d","time_us":5,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.like","rkey":"k","record":{}}}""", SkipReason.OtherEvent)]
    [InlineData("""{"did":"d","time_us":5,"kind":"commit","commit":{"operation":"delete","collection":"app.bsky.feed.post","rkey":"k"}}""", SkipReason.Delete)]
    [InlineData("""{"did":"d","time_us":5,"kind":"sync"}""", SkipReason.OtherEvent)]
    public void Parse_EventThatIsNoNewPost_SkippedWithCursor(string message, SkipReason reason)
    {
        var outcome = JetstreamParser.Parse(Utf8(message));

        Assert.Equal(ParseOutcomeKind.Skip, outcome.Kind);
        Assert.Equal(reason, outcome.SkipReason);
        Assert.Equal(5, outcome.Cursor);
    }

    [Fact]
    public void Parse_MalformedCommit_KeepsTheCursor()
    {
        var outcome = JetstreamParser.Parse(Utf8("""{"did":"d","time_us":9,"kind":"commit","commit":"oops"}"""));

        Assert.Equal(ParseOutcomeKind.Malformed, outcome.Kind);
        Assert.Equal("commit is not an object", outcome.Problem);
        Assert.Equal(9, outcome.Cursor);
    }
}
