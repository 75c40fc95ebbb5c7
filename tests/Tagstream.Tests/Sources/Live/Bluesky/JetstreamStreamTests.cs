using System.Net.WebSockets;
using System.Text;
using Tagstream.Sources.Live.Bluesky;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Tests.Sources.Live.Bluesky;

public sealed class JetstreamStreamTests
{
    private static readonly string[] Log = [.. Enumerable.Range(1, 10).Select(i => JetstreamFakeServer.Event(1_783_175_888_000_000 + i))];

    [Fact]
    public async Task ReadPayloadsAsync_DropsAndCloses_ResumesWithCursorAndDeliversEveryEventExactlyOnce()
    {
        var server = new JetstreamFakeServer(Log);
        server.ThenReplay(4, JetstreamFakeServer.DropMidMessage(Log[4]));
        server.ThenReplay(4, JetstreamFakeServer.CloseAsync);
        server.ThenReplay(10, JetstreamFakeServer.StayOpenAsync);
        var test = new LiveTestContext();

        var frames = await ReadAsync(server, test, 10);

        Assert.Equal(Log, frames.Select(f => Encoding.UTF8.GetString(f.Json)));
        Assert.Equal(Log.Select(JetstreamFakeServer.TimeOf), frames.Select(f => f.TimeUs));
        Assert.All(frames, f => Assert.Equal("commit", f.Kind));
        Assert.Equal(
            ["?wantedCollections=app.bsky.feed.post", $"?wantedCollections=app.bsky.feed.post&cursor={JetstreamFakeServer.TimeOf(Log[3])}",
             $"?wantedCollections=app.bsky.feed.post&cursor={JetstreamFakeServer.TimeOf(Log[6])}"],
            server.Queries.Take(3));
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250)], test.Delays);
        Assert.Contains(test.Lines, l => l.Contains("closed the connection", StringComparison.Ordinal));
        Assert.Contains(test.Lines, l => l.Contains("in the middle of a message", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ReadPayloadsAsync_RandomDropsClosesAndGarbage_DeliversTheLogExactlyOnce(int seed)
    {
        var random = new Random(seed);
        string[] log = [.. Enumerable.Range(1, 60).Select(i => JetstreamFakeServer.Event(1_000_000 + (i * 7)))];
        var server = new JetstreamFakeServer(log);
        for (var connection = 0; connection < 40; connection++)
        {
            var count = random.Next(1, 9);
            var next = log[Math.Min(log.Length - 1, random.Next(log.Length))];
            server.ThenReplay(count, random.Next(3) switch
            {
                0 => JetstreamFakeServer.DropMidMessage(next),
                1 => JetstreamFakeServer.CloseAsync,
                _ => async (context, socket) =>
                {
                    await JetstreamFakeServer.SendTextAsync(socket, "{\"garbage\":", context.RequestAborted);
                    await JetstreamFakeServer.CloseAsync(context, socket);
                },
            });
        }

        server.ThenReplay(log.Length, JetstreamFakeServer.StayOpenAsync);
        var test = new LiveTestContext();

        var frames = await ReadAsync(server, test, log.Length);

        // The naive reference: every event of the log, once, in order.
        Assert.Equal(log, frames.Select(f => Encoding.UTF8.GetString(f.Json)));
        Assert.All(test.Delays, d => Assert.Equal(0, d.Ticks % TimeSpan.FromMilliseconds(250).Ticks));
    }

    [Fact]
    public async Task ReadPayloadsAsync_StartCursor_AsksForItAndSkipsWhatItAlreadyHad()
    {
        var server = new JetstreamFakeServer(Log);
        server.ThenReplay(10, JetstreamFakeServer.StayOpenAsync);
        var test = new LiveTestContext();
        var start = JetstreamFakeServer.TimeOf(Log[5]);

        var frames = await ReadAsync(server, test, 4, options => options with { Cursor = start });

        Assert.Equal(Log[6..], frames.Select(f => Encoding.UTF8.GetString(f.Json)));
        Assert.Equal($"?wantedCollections=app.bsky.feed.post&cursor={start}", server.Queries.First());
    }

    [Fact]
    public async Task ReadPayloadsAsync_Garbage_IsReportedOncePerKindAndSkipped()
    {
        var server = new JetstreamFakeServer(Log);
        server.Then(async (context, socket) =>
        {
            var token = context.RequestAborted;
            await JetstreamFakeServer.SendTextAsync(socket, Log[0], token);
            await JetstreamFakeServer.SendTextAsync(socket, "garbage", token);
            await JetstreamFakeServer.SendTextAsync(socket, "garbage again", token);
            await socket.SendAsync(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }, WebSocketMessageType.Binary, true, token);
            await JetstreamFakeServer.SendTextAsync(socket, """{"did":"x","kind":"commit"}""", token);
            await JetstreamFakeServer.SendTextAsync(socket, Log[1][..^5], token);
            await JetstreamFakeServer.SendTextAsync(socket, Log[1] + "trailing", token);
            await JetstreamFakeServer.SendTextAsync(socket, Log[1], token);
            await JetstreamFakeServer.StayOpenAsync(context, socket);
        });
        var test = new LiveTestContext();

        var frames = await ReadAsync(server, test, 2);

        Assert.Equal([Log[0], Log[1]], frames.Select(f => Encoding.UTF8.GetString(f.Json)));
        Assert.Equal(2, test.Lines.Count);
        Assert.Contains(test.Lines, l => l.Contains("not a Jetstream event", StringComparison.Ordinal));
        Assert.Contains(test.Lines, l => l.Contains("binary", StringComparison.Ordinal));
        Assert.Empty(test.Delays);
    }

    [Fact]
    public async Task ReadPayloadsAsync_OversizedMessage_IsSkippedAndReported()
    {
        var server = new JetstreamFakeServer(Log);
        server.Then(async (context, socket) =>
        {
            await JetstreamFakeServer.SendTextAsync(socket, new string(' ', 3000) + Log[0], context.RequestAborted);
            await JetstreamFakeServer.SendTextAsync(socket, Log[1], context.RequestAborted);
            await JetstreamFakeServer.StayOpenAsync(context, socket);
        });
        var test = new LiveTestContext();

        var frames = await ReadAsync(server, test, 1, options => options with { MaxMessageBytes = 2048 });

        Assert.Equal([Log[1]], frames.Select(f => Encoding.UTF8.GetString(f.Json)));
        Assert.Single(test.Lines, l => l.Contains("longer than 2048 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadPayloadsAsync_RateLimitedAndUnavailable_BacksOffAsDocumented()
    {
        var server = new JetstreamFakeServer(Log);
        server.ThenStatus(429);
        server.ThenStatus(429);
        server.ThenStatus(503);
        server.ThenReplay(1, JetstreamFakeServer.StayOpenAsync);
        var test = new LiveTestContext();

        var frames = await ReadAsync(server, test, 1);

        Assert.Single(frames);
        Assert.Equal([60, 120, 5], test.Delays.Select(d => d.TotalSeconds));
        Assert.Contains(test.Lines, l => l.Contains("HTTP 429", StringComparison.Ordinal));
        Assert.Contains(test.Lines, l => l.Contains("HTTP 503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadPayloadsAsync_NotFound_StopsWithOneClearLine()
    {
        var server = new JetstreamFakeServer(Log);
        server.ThenStatus(404);
        var test = new LiveTestContext();

        var error = await Assert.ThrowsAsync<LiveSourceException>(() => ReadAsync(server, test, 1));

        Assert.Contains("--jetstream-url", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPayloadsAsync_SilentServer_IdlesOutAndResumes()
    {
        var server = new JetstreamFakeServer(Log);
        server.ThenReplay(2, JetstreamFakeServer.StayOpenAsync);
        server.ThenReplay(3, JetstreamFakeServer.StayOpenAsync);
        var test = new LiveTestContext();

        var frames = await ReadAsync(server, test, 3, options => options with { IdleTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(Log[..3], frames.Select(f => Encoding.UTF8.GetString(f.Json)));
        Assert.Contains(test.Lines, l => l.Contains("no message from", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("wss://jetstream1.us-west.bsky.network", "wss://jetstream1.us-west.bsky.network/subscribe?wantedCollections=app.bsky.feed.post")]
    [InlineData("wss://example.test/subscribe", "wss://example.test/subscribe?wantedCollections=app.bsky.feed.post")]
    [InlineData("ws://127.0.0.1:6008/subscribe?compress=false", "ws://127.0.0.1:6008/subscribe?compress=false&wantedCollections=app.bsky.feed.post")]
    public void SubscribeUri_AddsPathAndCollection(string url, string expected)
    {
        var stream = new JetstreamStream(new JetstreamOptions { Url = new Uri(url) }, new LiveTestContext().Context);
        Assert.Equal(expected, stream.SubscribeUri().ToString());
    }

    private static async Task<List<JetstreamFrame>> ReadAsync(
        JetstreamFakeServer fake, LiveTestContext test, int count, Func<JetstreamOptions, JetstreamOptions>? configure = null)
    {
        await using var server = await FakeServer.StartAsync(fake.HandleAsync);
        var options = new JetstreamOptions { Url = new Uri(server.WebSocketUri, "subscribe") };
        var stream = new JetstreamStream(configure is null ? options : configure(options), test.Context);
        using var guard = LiveTestContext.Guard();
        return await stream.ReadPayloadsAsync(guard.Token).Take(count).ToListAsync(guard.Token);
    }
}
