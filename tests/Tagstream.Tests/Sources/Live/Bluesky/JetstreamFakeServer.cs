using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tagstream.Sources;

namespace Tagstream.Tests.Sources.Live.Bluesky;

/// <summary>
/// Jetstream as a loopback fake: an event log, replayed from the <c>cursor</c> a client asks for (inclusive, as
/// Jetstream does, so the event at the cursor is sent again), with one script per connection.
/// </summary>
internal sealed class JetstreamFakeServer
{
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _connections = new();

    public JetstreamFakeServer(IReadOnlyList<string> log) => Log = log;

    public IReadOnlyList<string> Log { get; }

    public ConcurrentQueue<string> Queries { get; } = new();

    public static string FixturePost { get; } = File.ReadAllLines(TestDataFiles.Fixture("jetstream_v1_subscribe.jsonl"))[0];

    /// <summary>A post event made from the fixture's post, at the given time.</summary>
    public static string Event(long timeUs)
    {
        var node = JsonNode.Parse(FixturePost)!;
        node["time_us"] = timeUs;
        node["commit"]!["rkey"] = $"rkey{timeUs}";
        return node.ToJsonString();
    }

    /// <summary>A post create event with the given text, tag facets (at each tag's <c>#tag</c> in the text) and language.</summary>
    public static string Post(long timeUs, string text, string[] tags, string language = "en")
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var facets = new JsonArray();
        foreach (var tag in tags)
        {
            var start = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("#" + tag));
            facets.Add(new JsonObject
            {
                ["features"] = new JsonArray(new JsonObject { ["$type"] = "app.bsky.richtext.facet#tag", ["tag"] = tag }),
                ["index"] = new JsonObject { ["byteStart"] = start, ["byteEnd"] = start + 1 + Encoding.UTF8.GetByteCount(tag) },
            });
        }

        return new JsonObject
        {
            ["did"] = "did:plc:test",
            ["time_us"] = timeUs,
            ["kind"] = "commit",
            ["commit"] = new JsonObject
            {
                ["rev"] = "r",
                ["operation"] = "create",
                ["collection"] = "app.bsky.feed.post",
                ["rkey"] = $"k{timeUs}",
                ["record"] = new JsonObject
                {
                    ["$type"] = "app.bsky.feed.post",
                    ["createdAt"] = "2026-07-04T14:38:07.323Z",
                    ["facets"] = facets,
                    ["langs"] = new JsonArray(language),
                    ["text"] = text,
                },
                ["cid"] = "c",
            },
        }.ToJsonString();
    }

    public static long TimeOf(string json) => (long)JsonNode.Parse(json)!["time_us"]!;

    public void Then(Func<HttpContext, WebSocket, Task> script) => _connections.Enqueue(async context =>
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            await script(context, socket);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away first.
        }
    });

    /// <summary>Sends up to <paramref name="count"/> events of the log from the client's cursor, then runs <paramref name="end"/>.</summary>
    public void ThenReplay(int count, Func<HttpContext, WebSocket, Task> end) => Then(async (context, socket) =>
    {
        var cursor = long.TryParse(context.Request.Query["cursor"], out var c) ? c : long.MinValue;
        foreach (var item in Log.Where(e => TimeOf(e) >= cursor).Take(count))
        {
            await SendTextAsync(socket, item, context.RequestAborted);
        }

        await end(context, socket);
    });

    public void ThenStatus(int status) => _connections.Enqueue(context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || context.Request.Path != "/subscribe")
        {
            context.Response.StatusCode = 400;
            return;
        }

        Queries.Enqueue(context.Request.QueryString.Value ?? "");
        if (_connections.TryDequeue(out var connection))
        {
            await connection(context);
        }
        else
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await StayOpenAsync(context, socket);
        }
    }

    public static Task SendTextAsync(WebSocket socket, string text, CancellationToken cancellationToken, bool endOfMessage = true) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage, cancellationToken);

    public static async Task StayOpenAsync(HttpContext context, WebSocket socket)
    {
        try
        {
            // Reading answers the client's close handshake; the loop ends when the client goes away.
            var buffer = new byte[1024];
            while (socket.State == WebSocketState.Open)
            {
                await socket.ReceiveAsync(buffer, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away.
        }
    }

    public static Task CloseAsync(HttpContext context, WebSocket socket) =>
        socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "restarting", context.RequestAborted);

    /// <summary>
    /// Sends the first half of a message and ends the connection there, with no close frame: for an upgraded
    /// connection Kestrel flushes what was sent and then closes the socket, so the client gets every byte first.
    /// </summary>
    public static Func<HttpContext, WebSocket, Task> DropMidMessage(string next) => (context, socket) =>
        SendTextAsync(socket, next[..(next.Length / 2)], context.RequestAborted, endOfMessage: false);
}
