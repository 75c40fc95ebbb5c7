using System.Text.Json;
using Tagstream.Sources.Live.Mastodon;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Tests.Sources.Live.Mastodon;

public sealed class MastodonStreamTests
{
    private static readonly string Status = MastodonFakeServer.SseFixture.Split('\n')[2]["data: ".Length..];

    [Fact]
    public async Task Sse_Fixture_YieldsUpdateAndDeleteAndSkipsCommentsAndHeartbeats()
    {
        var fake = new MastodonFakeServer();
        fake.ThenSse(MastodonFakeServer.SseFixture);
        var test = new LiveTestContext();

        var events = await ReadAsync(fake, test, MastodonTransport.ServerSentEvents, 2);

        Assert.Equal([new("update", Status), new MastodonEvent("delete", "113000000000000001")], events);
        Assert.Equal(["/api/v1/streaming/hashtag?tag=dotnet"], fake.Requests);
        Assert.Equal(["Bearer " + LiveTestContext.Token], fake.Authorizations);
        Assert.Empty(test.Lines);
    }

    [Fact]
    public async Task Sse_SplitAcrossChunksWithMultiLineDataAndGarbage_ReassemblesEventsAndReportsGarbageOnce()
    {
        var fake = new MastodonFakeServer();
        fake.ThenSse(":)\n", "event: upd", "ate\ndata: {\"a\":\r\n", "data: 1}\n\n", "garbage here\n", "garbage again\n",
            ":thump\n", "event: update\ndata: ", "{}\n\n");
        var test = new LiveTestContext();

        var events = await ReadAsync(fake, test, MastodonTransport.ServerSentEvents, 2);

        Assert.Equal([new("update", "{\"a\":\n1}"), new MastodonEvent("update", "{}")], events);
        Assert.Single(test.Lines, l => l.Contains("not Server-Sent Events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sse_ClosedMidEvent_DropsItAndReconnects()
    {
        var fake = new MastodonFakeServer();
        fake.ThenSseAndEnd("event: update\ndata: {\"id\":\"1\"}\n\n", "event: update\ndata: {\"id\":");
        fake.ThenSse("event: update\ndata: {\"id\":\"3\"}\n\n");
        var test = new LiveTestContext();

        var events = await ReadAsync(fake, test, MastodonTransport.ServerSentEvents, 2);

        Assert.Equal(["{\"id\":\"1\"}", "{\"id\":\"3\"}"], events.Select(e => e.Data));
        Assert.Single(test.Lines, l => l.Contains("middle of an event", StringComparison.Ordinal));
        Assert.Equal([TimeSpan.FromMilliseconds(250)], test.Delays);
    }

    [Fact]
    public async Task Sse_ServerErrors_BackOffAndRecover()
    {
        var fake = new MastodonFakeServer();
        fake.ThenStatus(503, """{"error":"Service Unavailable"}""");
        fake.ThenStatus(429, """{"error":"Too many requests"}""");
        fake.ThenSse("event: update\ndata: {}\n\n");
        var test = new LiveTestContext();

        var events = await ReadAsync(fake, test, MastodonTransport.ServerSentEvents, 1);

        Assert.Single(events);
        Assert.Equal([5, 60], test.Delays.Select(d => d.TotalSeconds));
        Assert.Contains(test.Lines, l => l.Contains("HTTP 503", StringComparison.Ordinal) && l.Contains("Service Unavailable", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(MastodonTransport.ServerSentEvents)]
    [InlineData(MastodonTransport.WebSocket)]
    public async Task RejectedToken_StopsWithALineNamingTheVariable(MastodonTransport transport)
    {
        var fake = new MastodonFakeServer();
        fake.ThenStatus(401, """{"error":"The access token is invalid"}""");
        var test = new LiveTestContext();

        var error = await Assert.ThrowsAsync<LiveSourceException>(() => ReadAsync(fake, test, transport, 1));

        Assert.Contains("set MASTODON_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LiveTestContext.Token, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(test.Delays);
    }

    [Fact]
    public async Task Sse_Redirect_StopsAndPointsAtTheStreamingUrlOption()
    {
        var fake = new MastodonFakeServer();
        fake.Then(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "https://streaming.mastodon.example/api/v1/streaming/hashtag?tag=dotnet";
            return Task.CompletedTask;
        });
        var test = new LiveTestContext();

        var error = await Assert.ThrowsAsync<LiveSourceException>(() => ReadAsync(fake, test, MastodonTransport.ServerSentEvents, 1));

        Assert.Contains("to https://streaming.mastodon.example/api/v1/streaming/hashtag", error.Message, StringComparison.Ordinal);
        Assert.Contains("--mastodon-streaming-url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_Fixture_UnwrapsThePayloadString()
    {
        var fake = new MastodonFakeServer();
        fake.ThenWebSocket(async (context, socket) =>
        {
            await MastodonFakeServer.SendAllAsync(context, socket, MastodonFakeServer.WebSocketFixture);
            await Bluesky.JetstreamFakeServer.StayOpenAsync(context, socket);
        });
        var test = new LiveTestContext();

        var events = await ReadAsync(fake, test, MastodonTransport.WebSocket, 2);

        var expectedStatus = JsonDocument.Parse(MastodonFakeServer.WebSocketFixture[0]).RootElement.GetProperty("payload").GetString();
        Assert.Equal([new("update", expectedStatus!), new MastodonEvent("delete", "113000000000000001")], events);
        Assert.Equal(["/api/v1/streaming?stream=hashtag&tag=dotnet"], fake.Requests);
        Assert.Equal(["Bearer " + LiveTestContext.Token], fake.Authorizations);
    }

    [Fact]
    public async Task WebSocket_GarbageErrorsAndDrop_ReportsSkipsAndReconnects()
    {
        var fake = new MastodonFakeServer();
        fake.ThenWebSocket(async (context, socket) =>
        {
            await MastodonFakeServer.SendAllAsync(context, socket,
                ["""{"event":"update","payload":"{\"id\":\"1\"}"}""", "nonsense", """{"stream":["hashtag"]}""", """{"error":"Error parsing"}"""]);
            await Bluesky.JetstreamFakeServer.DropMidMessage("""{"event":"update","payload":"{\"id\":\"2\"}"}""")(context, socket);
        });
        fake.ThenWebSocket(async (context, socket) =>
        {
            await MastodonFakeServer.SendAllAsync(context, socket, ["""{"event":"update","payload":"{\"id\":\"3\"}"}"""]);
            await Bluesky.JetstreamFakeServer.StayOpenAsync(context, socket);
        });
        var test = new LiveTestContext();

        var events = await ReadAsync(fake, test, MastodonTransport.WebSocket, 2);

        Assert.Equal(["{\"id\":\"1\"}", "{\"id\":\"3\"}"], events.Select(e => e.Data));
        Assert.Contains(test.Lines, l => l.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains(test.Lines, l => l.Contains("without an event name", StringComparison.Ordinal));
        Assert.Contains(test.Lines, l => l.Contains("Error parsing", StringComparison.Ordinal));
        Assert.Contains(test.Lines, l => l.Contains("was lost", StringComparison.Ordinal));
        Assert.Equal([TimeSpan.FromMilliseconds(250)], test.Delays);
    }

    [Theory]
    [InlineData(new string[0], "api/v1/streaming/public", "stream=public")]
    [InlineData(new[] { "#DotNet" }, "api/v1/streaming/hashtag?tag=DotNet", "stream=hashtag&tag=DotNet")]
    [InlineData(new[] { "a", "b" }, "api/v1/streaming/public", "stream=public")]
    public void StreamUri_OneTermIsItsHashtagStreamOtherwisePublic(string[] terms, string ssePath, string wsQuery)
    {
        var options = Options(new Uri("https://mastodon.example/"), MastodonTransport.ServerSentEvents) with { Terms = terms };
        var context = new LiveTestContext().Context;

        Assert.Equal("https://mastodon.example/" + ssePath, new MastodonSseStream(new HttpClient(), options, context).StreamUri().ToString());
        Assert.Equal("wss://mastodon.example/api/v1/streaming?" + wsQuery, new MastodonWebSocketStream(options, context).StreamUri().ToString());
    }

    private static MastodonOptions Options(Uri instance, MastodonTransport transport) => new()
    {
        InstanceUrl = instance,
        AccessToken = new SecretToken("MASTODON_TOKEN", LiveTestContext.Token),
        Terms = ["dotnet"],
        Transport = transport,
    };

    private static async Task<List<MastodonEvent>> ReadAsync(MastodonFakeServer fake, LiveTestContext test, MastodonTransport transport, int count)
    {
        await using var server = await FakeServer.StartAsync(fake.HandleAsync);
        using var http = LiveHttp.CreateClient();
        var options = Options(server.BaseUri, transport);
        using var guard = LiveTestContext.Guard();
        var stream = transport == MastodonTransport.WebSocket
            ? new MastodonWebSocketStream(options, test.Context).ReadPayloadsAsync(guard.Token)
            : new MastodonSseStream(http, options, test.Context).ReadPayloadsAsync(guard.Token);
        var events = await stream.Take(count).ToListAsync(guard.Token);
        Assert.All(test.Lines, l => Assert.DoesNotContain(LiveTestContext.Token, l, StringComparison.Ordinal));
        return events;
    }
}
