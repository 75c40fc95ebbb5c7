using System.Text;
using Tagstream.Sources;
using Tagstream.Sources.Parsing;

namespace Tagstream.Tests.Sources.Parsing;

/// <summary>Bad payloads give the malformed outcome with a one-line problem; nothing ever throws.</summary>
public sealed class MalformedPayloadTests
{
    private static readonly Dictionary<string, Func<ReadOnlyMemory<byte>, ParseOutcome>> Parsers = new()
    {
        ["x"] = XApiV2Parser.Parse,
        ["v11"] = TwitterV11Parser.Parse,
        ["jetstream"] = JetstreamParser.Parse,
        ["mastodon-ws"] = MastodonParser.ParseWebSocketMessage,
        ["mastodon-status"] = MastodonParser.ParseStatus,
        ["mastodon-sse"] = payload => MastodonParser.ParseSseEvent(new SseEvent("update", payload, false)),
        ["jsonl-text"] = payload => TextPostParser.ParseJsonText(payload.Span, "1"),
    };

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "x", """{"data":{"id":"1","text":"#a""", "invalid JSON" },
        { "x", "[1,2]", "not a JSON object" },
        { "x", "\"text\"", "not a JSON object" },
        { "x", "{}", "neither data nor errors" },
        { "x", """{"data":{"text":"#a"}}""", "missing data.id" },
        { "x", """{"data":{"id":1}}""", "data.id is not a string" },
        { "x", """{"data":{"id":"1","entities":{"hashtags":{"tag":"a"}}}}""", "data.entities.hashtags is not an array" },
        { "x", """{"data":{"id":"1","entities":{"hashtags":[{"tag":5}]}}}""", "data.entities.hashtags[].tag is not a string" },
        { "x", """{"data":{"id":"1","entities":{"hashtags":["a"]}}}""", "data.entities.hashtags[] is not an object" },
        { "x", """{"data":{"id":"1","text":["#a"]}}""", "data.text is not a string" },
        { "x", """{"errors":[5]}""", "errors[] is not an object" },
        { "v11", """{"id_str":"1","truncated":"yes"}""", "truncated is not a boolean" },
        { "v11", """{"id":{"n":1}}""", "id is not a string or number" },
        { "v11", """{"text":"#a"}""", "missing id" },
        { "v11", """{"id_str":"1","user":"ann"}""", "user is not an object" },
        { "jetstream", """{"did":"d","time_us":1}""", "missing kind" },
        { "jetstream", """{"did":"d","time_us":"1","kind":"commit"}""", "time_us is not a number" },
        { "jetstream", """{"did":"d","time_us":1.5,"kind":"commit"}""", "time_us is not a 64-bit integer" },
        { "jetstream", """{"did":"d","kind":"commit"}""", "missing commit" },
        { "jetstream", """{"did":"d","kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"k"}}""", "missing commit.record" },
        { "jetstream", """{"did":"d","kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"k","record":{"facets":[{"features":[{"$type":"app.bsky.richtext.facet#tag"}]}]}}}""", "missing commit.record.facets[].features[].tag" },
        { "mastodon-ws", """{"event":"update","payload":{"id":"1"}}""", "payload is not a string" },
        { "mastodon-ws", """{"event":"update","payload":"[]"}""", "payload: not a JSON object" },
        { "mastodon-ws", """{"payload":"{}"}""", "missing event" },
        { "mastodon-status", """{"id":"1","tags":[{"name":null}]}""", "missing tags[].name" },
        { "mastodon-status", """{"id":"1","reblog":"x"}""", "reblog is not an object" },
        { "mastodon-sse", "{\"id\":\"1\"", "invalid JSON" },
        { "jsonl-text", "{\"a\":1}", "not a JSON string" },
        { "jsonl-text", "\"a\" \"b\"", "invalid JSON" },
        { "jsonl-text", "\"unterminated", "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BadPayload_MalformedWithProblem(string parser, string payload, string problem)
    {
        var outcome = Parsers[parser](Encoding.UTF8.GetBytes(payload));

        Assert.Equal(ParseOutcomeKind.Malformed, outcome.Kind);
        Assert.Equal(problem, outcome.Problem);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("v11")]
    [InlineData("jetstream")]
    [InlineData("mastodon-ws")]
    [InlineData("mastodon-status")]
    [InlineData("jsonl-text")]
    public void Parse_InvalidUtf8OrDeepNesting_Malformed(string parser)
    {
        byte[] invalidUtf8 = [.. "{\"data\":{\"id\":\"1\",\"text\":\"#a"u8, 0xC3, 0x28, .. "\"}}"u8];
        var deep = Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000));

        Assert.Equal(ParseOutcomeKind.Malformed, Parsers[parser](invalidUtf8).Kind);
        Assert.Equal(ParseOutcomeKind.Malformed, Parsers[parser](deep).Kind);
    }

    [Fact]
    public void ParseText_InvalidUtf8_Malformed()
    {
        var outcome = TextPostParser.ParseText([0x23, 0x61, 0xFF], "1");

        Assert.Equal(ParseOutcomeKind.Malformed, outcome.Kind);
        Assert.Equal("invalid UTF-8", outcome.Problem);
    }

    [Fact]
    public void Parse_HugeText_AllHashtagsFound()
    {
        var text = string.Concat(Enumerable.Repeat("\U0001F680#tag ", 200_000));
        var json = "{\"data\":{\"id\":\"1\",\"text\":\"" + text + "\"}}";

        var outcome = XApiV2Parser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(200_000, outcome.Post!.Hashtags.Count);
    }

    [Fact]
    public void ProtocolLineParser_BadTokens_DroppedAndTheOthersKept()
    {
        byte[] line = [.. "a \t b "u8, 0xFF, 0xFE, .. " c\0d e\r"u8];

        var outcome = ProtocolLineParser.Parse(line, "1");

        Assert.Equal(["a", "b", "e"], outcome.Post!.Hashtags);
        Assert.Equal(ProtocolLineParser.DroppedTokenProblem, outcome.Problem);
    }

    /// <summary>Every prefix and many random corruptions of every fixture line: each parser returns, whatever the bytes.</summary>
    [Fact]
    public void Parse_CorruptedFixtureLines_NeverThrow()
    {
        var lines = Directory.GetFiles(TestDataFiles.PathOf("fixtures"))
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .SelectMany(File.ReadAllLines)
            .Select(l => Encoding.UTF8.GetBytes(l.StartsWith("data: ", StringComparison.Ordinal) ? l[6..] : l))
            .Where(l => l.Length > 0)
            .ToList();
        var random = new Random(20260704);
        var checkedPayloads = 0;
        foreach (var line in lines)
        {
            // Every early cut (inside the first fields), then cuts at random points further on.
            for (var cut = 0; cut < line.Length; cut += cut < 64 ? 1 : random.Next(1, 16))
            {
                ParseWithEveryParser(line.AsMemory(0, cut));
                checkedPayloads++;
            }

            for (var round = 0; round < 100; round++)
            {
                var corrupted = (byte[])line.Clone();
                var flips = random.Next(1, 4);
                for (var i = 0; i < flips; i++)
                {
                    corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
                }

                ParseWithEveryParser(corrupted);
                checkedPayloads++;
            }
        }

        Assert.True(checkedPayloads > 1000);
    }

    private static void ParseWithEveryParser(ReadOnlyMemory<byte> payload)
    {
        foreach (var parse in Parsers.Values)
        {
            var outcome = parse(payload);
            Assert.True(Enum.IsDefined(outcome.Kind));
            Assert.True(outcome.Kind != ParseOutcomeKind.Post || outcome.Post is not null);
            Assert.True(outcome.Kind != ParseOutcomeKind.Malformed || !string.IsNullOrEmpty(outcome.Problem));
        }

        _ = TextPostParser.ParseText(payload.Span, "1");
        _ = ProtocolLineParser.Parse(payload.Span, "1");
        _ = PostFormatDetector.Detect(payload.Span, isWholeStream: true);
    }
}
