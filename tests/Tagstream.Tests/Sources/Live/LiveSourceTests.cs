using System.Text;
using Tagstream.Sources;
using Tagstream.Sources.Live;
using Tagstream.Sources.Live.Bluesky;
using Tagstream.Sources.Live.Mastodon;
using Tagstream.Sources.Live.Transport;
using Tagstream.Sources.Live.X;
using Tagstream.Sources.Parsing;
using Tagstream.Tests.Sources.Live.Bluesky;
using Tagstream.Tests.Sources.Live.Mastodon;
using Tagstream.Tests.Sources.Live.X;

namespace Tagstream.Tests.Sources.Live;

public sealed class LiveSourceTests
{
    private static readonly string[] JetstreamLog =
    [
        JetstreamFakeServer.Post(1, "🚀 Shipping #dotnet today #CSharp", ["dotnet", "CSharp"]),
        JetstreamFakeServer.Post(2, "All about #rust", ["rust"]),
        """{"did":"did:plc:test","time_us":3,"kind":"commit","commit":{"rev":"r","operation":"delete","collection":"app.bsky.feed.post","rkey":"k1"}}""",
        """{"did":"did:plc:test","time_us":4,"kind":"account","account":{"active":true,"did":"did:plc:test","seq":1,"time":"2026-07-04T14:38:10.000Z"}}""",
        JetstreamFakeServer.Post(5, "I like DotNet a lot", []),
        JetstreamFakeServer.Post(6, "See you at #dotnetconf", ["dotnetconf"]),
        JetstreamFakeServer.Post(7, "On parle de #dotnet", ["dotnet"], "fr"),
        JetstreamFakeServer.Post(8, "#dotnet again, 𝕏 #dotnet", ["dotnet", "dotnet"]),
    ];

    [Fact]
    public async Task Bluesky_DropAndResume_DeliversExactlyTheMatchingPostsOnceInOrder()
    {
        var fake = new JetstreamFakeServer(JetstreamLog);
        fake.ThenReplay(3, JetstreamFakeServer.DropMidMessage(JetstreamLog[3]));
        fake.ThenReplay(3, JetstreamFakeServer.CloseAsync);
        fake.ThenReplay(10, JetstreamFakeServer.StayOpenAsync);
        var test = new LiveTestContext();
        await using var server = await FakeServer.StartAsync(fake.HandleAsync);
        await using var source = LiveSource.CreateBluesky(
            new JetstreamOptions { Url = new Uri(server.WebSocketUri, "subscribe"), Terms = ["#DotNet"], Language = "en" }, test.Context);

        var (posts, lines, skipped, position) = await ReadPostsAsync(source, 3);

        Assert.Equal(["at://did:plc:test/app.bsky.feed.post/k1", "at://did:plc:test/app.bsky.feed.post/k5", "at://did:plc:test/app.bsky.feed.post/k8"], posts.Select(p => p.Id));
        Assert.Equal("dotnet csharp\n\ndotnet dotnet\n", lines);
        Assert.Equal(0, skipped);
        Assert.Equal(new SourcePosition("127.0.0.1", 8), position);
        Assert.Equal("bluesky", source.Name);
        Assert.Equal(2, test.Delays.Count);
    }

    [Fact]
    public async Task X_MalformedRecords_AreCountedReportedOnceAndSkippedWhileGoodPostsFlow()
    {
        var api = new XFakeApi();
        var fixture = Ours(File.ReadAllText(TestDataFiles.Fixture("x_v2_filtered_stream.ndjson")).Split("\r\n")[0]);
        api.ThenStream(fixture + "\r\n", "{\"data\":\r\n", "{\"data\":{\r\n", "[1,2]\r\n", "\r\n", fixture.Replace("#CSharp", "#FSharp", StringComparison.Ordinal).Replace("\"CSharp\"", "\"FSharp\"", StringComparison.Ordinal) + "\r\n");
        var test = new LiveTestContext();
        await using var server = await FakeServer.StartAsync(api.HandleAsync);
        await using var source = LiveSource.CreateX(XFilteredStreamTests.Options(server.BaseUri), test.Context);

        var (posts, lines, skipped, _) = await ReadPostsAsync(source, 2);

        Assert.Equal("dotnet csharp\ndotnet fsharp\n", lines);
        Assert.Equal(3, skipped);
        Assert.All(posts, p => Assert.Equal("x", p.Source));
        Assert.InRange(test.Lines.Count(l => l.Contains("malformed", StringComparison.Ordinal)), 1, 3);
    }

    [Fact]
    public async Task X_PostsMatchedOnlyByOtherRulesOfTheApp_AreNotPartOfTheFeed()
    {
        var api = new XFakeApi();
        var fixture = File.ReadAllText(TestDataFiles.Fixture("x_v2_filtered_stream.ndjson")).Split("\r\n")[0];
        var both = fixture.Replace("""{"id":"1273026480692322304","tag":"has-hashtags-en"}""", """{"id":"1","tag":"has-hashtags-en"},{"id":"2","tag":"tagstream"}""", StringComparison.Ordinal)
            .Replace("0001", "0002", StringComparison.Ordinal);
        Assert.NotEqual(fixture, both);
        api.ThenStream(fixture + "\r\n", both + "\r\n", Ours(fixture).Replace("0001", "0003", StringComparison.Ordinal) + "\r\n");
        var test = new LiveTestContext();
        await using var server = await FakeServer.StartAsync(api.HandleAsync);
        await using var source = LiveSource.CreateX(XFilteredStreamTests.Options(server.BaseUri), test.Context);

        var (posts, _, skipped, _) = await ReadPostsAsync(source, 2);

        Assert.Equal(["1790000000000000002", "1790000000000000003"], posts.Select(p => p.Id));
        Assert.Equal(0, skipped);
    }

    [Theory]
    [InlineData("""{"data":{},"matching_rules":[{"id":"1","tag":"tagstream"}]}""", true)]
    [InlineData("""{"matching_rules":[{"id":"1","tag":"other"},{"tag":"tagstream","id":"2"}],"data":{}}""", true)]
    [InlineData("""{"data":{"text":"tagstream","matching_rules":[]},"matching_rules":[{"id":"1","tag":"other"}]}""", false)]
    [InlineData("""{"data":{},"matching_rules":[]}""", false)]
    [InlineData("""{"data":{}}""", true)]
    [InlineData("""not json""", true)]
    public void MatchesOurs_ReadsTopLevelMatchingRules(string line, bool expected) =>
        Assert.Equal(expected, Tagstream.Sources.Live.X.XMatchingRules.MatchesOurs(Encoding.UTF8.GetBytes(line)));

    [Fact]
    public async Task X_RejectedToken_ReadAsyncThrowsOneClearLine()
    {
        var api = new XFakeApi { RulesStatus = 401 };
        var test = new LiveTestContext();
        await using var server = await FakeServer.StartAsync(api.HandleAsync);
        await using var source = LiveSource.CreateX(XFilteredStreamTests.Options(server.BaseUri), test.Context);
        using var guard = LiveTestContext.Guard();

        var error = await Assert.ThrowsAsync<LiveSourceException>(async () => await source.ReadAsync(guard.Token));

        Assert.StartsWith("x: X rejected the bearer token in X_BEARER_TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void X_NoTerms_IsRefusedAtOnce()
    {
        var options = XFilteredStreamTests.Options(new Uri("http://127.0.0.1:9/")) with { Terms = [] };
        Assert.Throws<ArgumentException>(() => LiveSource.CreateX(options, new LiveTestContext().Context));
    }

    [Theory]
    [InlineData(MastodonTransport.ServerSentEvents)]
    [InlineData(MastodonTransport.WebSocket)]
    public async Task Mastodon_Fixture_GivesThePostWithFoldedTags(MastodonTransport transport)
    {
        var fake = new MastodonFakeServer();
        if (transport == MastodonTransport.WebSocket)
        {
            fake.ThenWebSocket(async (context, socket) =>
            {
                await MastodonFakeServer.SendAllAsync(context, socket, MastodonFakeServer.WebSocketFixture);
                await JetstreamFakeServer.StayOpenAsync(context, socket);
            });
        }
        else
        {
            fake.ThenSse(MastodonFakeServer.SseFixture);
        }

        var test = new LiveTestContext();
        await using var server = await FakeServer.StartAsync(fake.HandleAsync);
        await using var source = LiveSource.CreateMastodon(MastodonOptionsFor(server.BaseUri, transport, ["dotnet"]), test.Context);

        var (posts, lines, _, _) = await ReadPostsAsync(source, 1);

        Assert.Equal("dotnet csharp\n", lines);
        Assert.Equal("113000000000000001", Assert.Single(posts).Id);
        Assert.Empty(test.Lines);
    }

    [Fact]
    public async Task Mastodon_PublicStreamWithTwoTerms_KeepsOnlyMatchingStatuses()
    {
        var status = MastodonFakeServer.SseFixture.Split('\n')[2]["data: ".Length..];
        var other = status.Replace("dotnet", "rust", StringComparison.Ordinal).Replace("CSharp", "Go", StringComparison.Ordinal)
            .Replace("113000000000000001", "113000000000000002", StringComparison.Ordinal);
        var fake = new MastodonFakeServer();
        fake.ThenSse($"event: update\ndata: {other}\n\n", "event: status.update\ndata: {}\n\n", $"event: update\ndata: {status}\n\n");
        var test = new LiveTestContext();
        await using var server = await FakeServer.StartAsync(fake.HandleAsync);
        await using var source = LiveSource.CreateMastodon(MastodonOptionsFor(server.BaseUri, MastodonTransport.ServerSentEvents, ["csharp", "fsharp"]), test.Context);

        var (posts, _, _, _) = await ReadPostsAsync(source, 1);

        Assert.Equal("113000000000000001", Assert.Single(posts).Id);
        Assert.Equal(["/api/v1/streaming/public"], fake.Requests);
        Assert.Single(test.Lines, l => l.Contains("status.update", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Record_EachSource_WritesWhatReplayReadsBackAsTheSamePosts()
    {
        // X: NDJSON.
        var api = new XFakeApi();
        var xLines = File.ReadAllText(TestDataFiles.Fixture("x_v2_filtered_stream.ndjson")).Split("\r\n").Select(Ours).ToArray();
        api.ThenStream(xLines[0] + "\r\n", "\r\n", xLines[0].Replace("0001", "0002", StringComparison.Ordinal) + "\r\n");
        await using (var server = await FakeServer.StartAsync(api.HandleAsync))
        {
            await using var source = LiveSource.CreateX(XFilteredStreamTests.Options(server.BaseUri), new LiveTestContext().Context);
            var (recorded, posts) = await RecordAsync(source, 2);
            Assert.Equal($"{xLines[0]}\r\n{xLines[0].Replace("0001", "0002", StringComparison.Ordinal)}\r\n", recorded);
            Assert.Equal(posts, await ReplayAsync(recorded, PostFormat.XApiV2));
        }

        // Jetstream: JSONL.
        var fake = new JetstreamFakeServer(JetstreamLog);
        fake.ThenReplay(10, JetstreamFakeServer.StayOpenAsync);
        await using (var server = await FakeServer.StartAsync(fake.HandleAsync))
        {
            await using var source = LiveSource.CreateBluesky(
                new JetstreamOptions { Url = new Uri(server.WebSocketUri, "subscribe"), Terms = ["dotnet"] }, new LiveTestContext().Context);
            var (recorded, posts) = await RecordAsync(source, 4);
            Assert.Equal(JetstreamLog[0] + "\n" + JetstreamLog[4] + "\n" + JetstreamLog[6] + "\n" + JetstreamLog[7] + "\n", recorded);
            Assert.Equal(posts, await ReplayAsync(recorded, PostFormat.Jetstream));
        }

        // Mastodon over the WebSocket: recorded as SSE.
        var mastodon = new MastodonFakeServer();
        mastodon.ThenWebSocket(async (context, socket) =>
        {
            await MastodonFakeServer.SendAllAsync(context, socket, MastodonFakeServer.WebSocketFixture);
            await JetstreamFakeServer.StayOpenAsync(context, socket);
        });
        await using (var server = await FakeServer.StartAsync(mastodon.HandleAsync))
        {
            await using var source = LiveSource.CreateMastodon(MastodonOptionsFor(server.BaseUri, MastodonTransport.WebSocket, ["dotnet"]), new LiveTestContext().Context);
            var (recorded, posts) = await RecordAsync(source, 1);
            Assert.StartsWith("event: update\ndata: {", recorded, StringComparison.Ordinal);
            Assert.EndsWith("}\n\n", recorded, StringComparison.Ordinal);
            Assert.Equal(posts, await ReplayAsync(recorded, PostFormat.MastodonSse));
        }
    }

    /// <summary>The fixture line as matched by Tagstream's own rule.</summary>
    private static string Ours(string line) => line.Replace("\"tag\":\"has-hashtags-en\"", "\"tag\":\"tagstream\"", StringComparison.Ordinal);

    private static MastodonOptions MastodonOptionsFor(Uri instance, MastodonTransport transport, string[] terms) => new()
    {
        InstanceUrl = instance,
        AccessToken = new SecretToken("MASTODON_TOKEN", LiveTestContext.Token),
        Terms = terms,
        Transport = transport,
    };

    private static async Task<(List<Post> Posts, string Lines, long Skipped, SourcePosition? Position)> ReadPostsAsync(PostSource source, int count)
    {
        using var guard = LiveTestContext.Guard();
        var posts = new List<Post>();
        var lines = new StringBuilder();
        long skipped = 0;
        SourcePosition? position = null;
        while (posts.Count < count)
        {
            var chunk = await source.ReadAsync(guard.Token);
            Assert.False(chunk.IsFinal);
            posts.AddRange(chunk.Posts ?? []);
            lines.Append(Encoding.UTF8.GetString(chunk.Lines.Span));
            skipped += chunk.SkippedLines;
            position = chunk.Position ?? position;
        }

        return (posts, lines.ToString(), skipped, position);
    }

    private static async Task<(string Recorded, List<(string Id, string Tags)> Posts)> RecordAsync(LiveSource source, int limit)
    {
        using var guard = LiveTestContext.Guard();
        using var file = new MemoryStream();
        var posts = new List<(string, string)>();
        var written = await LiveRecorder.RecordAsync(source, file, limit, p => posts.Add((p.Id, string.Join(' ', p.Hashtags))), guard.Token);
        Assert.Equal(limit, written);
        return (Encoding.UTF8.GetString(file.ToArray()), posts);
    }

    private static async Task<List<(string Id, string Tags)>> ReplayAsync(string recorded, PostFormat expected)
    {
        await using var reader = new PostRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(recorded)));
        var posts = new List<(string, string)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken) is { } record)
        {
            if (record.Outcome.Post is { } post)
            {
                posts.Add((post.Id, string.Join(' ', post.Hashtags)));
            }
        }

        Assert.Equal(expected, reader.Format);
        return posts;
    }
}
