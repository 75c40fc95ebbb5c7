using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tagstream.Tests.Sources.Live.X;

/// <summary>
/// The X API v2 filtered-stream endpoints as a loopback fake: stream rules kept in memory and managed as X does, and
/// one scripted response per stream connection (in order; once the scripts run out a connection stays open and silent).
/// </summary>
internal sealed class XFakeApi
{
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _connections = new();
    private readonly List<(string Id, string Value, string? Tag)> _rules = [];
    private readonly Lock _lock = new();
    private int _nextRuleId = 100;

    public ConcurrentQueue<string> RuleRequests { get; } = new();

    public ConcurrentQueue<string> StreamQueries { get; } = new();

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    /// <summary>Returned for every rules request instead of the rules, when set (for example 401).</summary>
    public int? RulesStatus { get; set; }

    public IReadOnlyList<(string Id, string Value, string? Tag)> Rules
    {
        get
        {
            lock (_lock)
            {
                return [.. _rules];
            }
        }
    }

    public void AddRule(string id, string value, string? tag)
    {
        lock (_lock)
        {
            _rules.Add((id, value, tag));
        }
    }

    public void Then(Func<HttpContext, Task> connection) => _connections.Enqueue(connection);

    /// <summary>A 200 stream that writes each piece, flushed on its own (real chunked streaming), then stays open.</summary>
    public void ThenStream(params string[] pieces) => Then(async context =>
    {
        await WritePiecesAsync(context, pieces);
        await WaitForClientAsync(context);
    });

    /// <summary>A 200 stream that writes each piece and then ends the response.</summary>
    public void ThenStreamAndEnd(params string[] pieces) => Then(context => WritePiecesAsync(context, pieces));

    public void ThenStatus(int status, string body) => Then(async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    });

    public async Task HandleAsync(HttpContext context)
    {
        Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
        if (context.Request.Path == "/2/tweets/search/stream/rules")
        {
            await HandleRulesAsync(context);
            return;
        }

        if (context.Request.Path != "/2/tweets/search/stream")
        {
            context.Response.StatusCode = 404;
            return;
        }

        StreamQueries.Enqueue(context.Request.QueryString.Value ?? "");
        if (_connections.TryDequeue(out var connection))
        {
            await connection(context);
        }
        else
        {
            await WaitForClientAsync(context);
        }
    }

    internal static async Task WritePiecesAsync(HttpContext context, string[] pieces)
    {
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        foreach (var piece in pieces)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(piece), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    internal static async Task WaitForClientAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away: the test is done with this connection.
        }
    }

    private async Task HandleRulesAsync(HttpContext context)
    {
        if (RulesStatus is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync("""{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""", context.RequestAborted);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            RuleRequests.Enqueue("GET");
            var data = new JsonArray([.. Rules.Select(r => new JsonObject { ["id"] = r.Id, ["value"] = r.Value, ["tag"] = r.Tag })]);
            var body = Rules.Count == 0 ? new JsonObject { ["meta"] = new JsonObject { ["result_count"] = 0 } } : new JsonObject { ["data"] = data };
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var request = await reader.ReadToEndAsync(context.RequestAborted);
        RuleRequests.Enqueue("POST " + request);
        using var document = JsonDocument.Parse(request);
        var response = new JsonObject();
        lock (_lock)
        {
            if (document.RootElement.TryGetProperty("delete", out var delete))
            {
                var ids = delete.GetProperty("ids").EnumerateArray().Select(id => id.GetString()).ToHashSet();
                _rules.RemoveAll(r => ids.Contains(r.Id));
            }

            if (document.RootElement.TryGetProperty("add", out var add))
            {
                foreach (var rule in add.EnumerateArray())
                {
                    _rules.Add(((_nextRuleId++).ToString(System.Globalization.CultureInfo.InvariantCulture), rule.GetProperty("value").GetString()!, rule.GetProperty("tag").GetString()));
                }
            }
        }

        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }
}
