using System.Text;
using Tagstream.Sources;
using Tagstream.Sources.Parsing;
using static Tagstream.Tests.Sources.Parsing.ParserTestPayloads;

namespace Tagstream.Tests.Sources.Parsing;

public sealed class MastodonParserTests
{
    [Fact]
    public void ParseStatus_Boost_TakesTheBoostedStatusTags()
    {
        var outcome = MastodonParser.ParseStatus(Utf8("""
            {"id":"2","created_at":"2026-07-04T14:38:07.000Z","content":"","tags":[],"account":{"acct":"bob"},
             "reblog":{"id":"1","content":"<p>#DotNet</p>","language":"de","tags":[{"name":"DotNet"}],"account":{"acct":"alice"}}}
            """));

        var post = outcome.Post!;
        Assert.Equal(["dotnet"], post.Hashtags);
        Assert.Equal("2", post.Id);
        Assert.Equal("bob", post.Author);
        Assert.Equal("de", post.Language);
    }

    [Fact]
    public void ParseStatus_NoTags_ExtractsFromContentText()
    {
        var outcome = MastodonParser.ParseStatus(Utf8("""
            {"id":"1","content":"<p>Hi <a href=\"https://m.example/tags/One\" class=\"mention hashtag\">#<span>One</span></a><br>#two &amp;#no &lt;#three</p><p>#four</p>"}
            """));

        Assert.Equal(["one", "two", "three", "four"], outcome.Post!.Hashtags);
        Assert.Equal("Hi #One\n#two &#no <#three\n#four", outcome.Text);
    }

    [Fact]
    public void ParseWebSocketMessage_PayloadNotJson_MalformedNamingThePayload()
    {
        var outcome = MastodonParser.ParseWebSocketMessage(Utf8("""{"stream":["public"],"event":"update","payload":"{not json"}"""));

        Assert.Equal(ParseOutcomeKind.Malformed, outcome.Kind);
        Assert.Equal("payload: invalid JSON", outcome.Problem);
    }

    [Theory]
    [InlineData("status.update", SkipReason.OtherEvent)]
    [InlineData("notification", SkipReason.OtherEvent)]
    [InlineData("delete", SkipReason.Delete)]
    public void ParseWebSocketMessage_EventThatIsNoNewPost_Skipped(string eventName, SkipReason reason)
    {
        var outcome = MastodonParser.ParseWebSocketMessage(Utf8($$"""{"stream":["user"],"event":"{{eventName}}","payload":"1"}"""));

        Assert.Equal(reason, outcome.SkipReason);
    }

    [Fact]
    public void SseEventAssembler_MultipleDataLines_JoinedWithNewline()
    {
        var assembler = new SseEventAssembler();
        var lines = new[] { "event:update", "data: {\"id\":\"1\",", "data:\"tags\":[{\"name\":\"X\"}]}", "id: 5", "" };
        SseEvent completed = default;
        var count = 0;
        foreach (var line in lines)
        {
            if (assembler.TryAddLine(Encoding.UTF8.GetBytes(line), out var sseEvent, out var tooLong))
            {
                Assert.False(tooLong);
                completed = sseEvent;
                count++;
            }
        }

        Assert.Equal(1, count);
        Assert.Equal("update", completed.EventName);
        Assert.Equal("{\"id\":\"1\",\n\"tags\":[{\"name\":\"X\"}]}", Encoding.UTF8.GetString(completed.Data.Span));
        Assert.Equal(["x"], MastodonParser.ParseSseEvent(completed).Post!.Hashtags);
    }

    [Fact]
    public void SseEventAssembler_EventOverTheLimit_ReportedTooLong()
    {
        var assembler = new SseEventAssembler(maxEventBytes: 8);

        Assert.False(assembler.TryAddLine("event: update"u8, out _, out _));
        Assert.False(assembler.TryAddLine("data: 123456789"u8, out _, out _));
        Assert.True(assembler.TryAddLine(""u8, out _, out var tooLong));
        Assert.True(tooLong);
        Assert.False(assembler.HasPartialEvent);
    }
}
