using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tagstream.Tests.Sources.Live.Mastodon;

/// <summary>A Mastodon streaming server as a loopback fake: SSE and WebSocket endpoints, one script per connection.</summary>
internal sealed class MastodonFakeServer
{
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _connections = new();

    public static string SseFixture { get; } = File.ReadAllText(TestDataFiles.Fixture("mastodon_sse_hashtag.txt"));

    public static string[] WebSocketFixture { get; } = File.ReadAllLines(TestDataFiles.Fixture("mastodon_ws_hashtag.jsonl"));

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string> Authorizations { get; } = new();

    public void Then(Func<HttpContext, Task> connection) => _connections.Enqueue(connection);

    public void ThenSse(params string[] pieces) => Then(async context =>
    {
        await WriteSseAsync(context, pieces);
        await WaitAsync(context);
    });

    public void ThenSseAndEnd(params string[] pieces) => Then(context => WriteSseAsync(context, pieces));

    public void ThenStatus(int status, string body = "") => Then(async context =>
    {
        context.Response.StatusCode = status;
        if (body.Length > 0)
        {
            await context.Response.WriteAsync(body, context.RequestAborted);
        }
    });

    public void ThenWebSocket(Func<HttpContext, WebSocket, Task> script) => Then(async context =>
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

    public async Task HandleAsync(HttpContext context)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
        if (_connections.TryDequeue(out var connection))
        {
            await connection(context);
        }
        else if (context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await Bluesky.JetstreamFakeServer.StayOpenAsync(context, socket);
        }
        else
        {
            await WaitAsync(context);
        }
    }

    public static async Task SendAllAsync(HttpContext context, WebSocket socket, IEnumerable<string> frames)
    {
        foreach (var frame in frames)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, context.RequestAborted);
        }
    }

    private static async Task WriteSseAsync(HttpContext context, string[] pieces)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync(context.RequestAborted);
        foreach (var piece in pieces)
        {
            await context.Response.WriteAsync(piece, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static Task WaitAsync(HttpContext context) => X.XFakeApi.WaitForClientAsync(context);
}
