using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Tagstream.Sinks;
using Tagstream.Sources.Parsing;
using Tagstream.Streaming;

namespace Tagstream.Cli.Dashboard;

/// <summary>The dashboard's routes: the page, <c>/api/top</c>, <c>/api/stream</c>, <c>/api/chart.svg</c>, <c>/healthz</c>, <c>/metrics</c>.</summary>
internal sealed class DashboardEndpoints
{
    /// <summary>The largest <c>n</c> that <c>/api/top</c> accepts.</summary>
    public const int MaxTop = 1000;

    // The page may load only what this server sends: its own script, style and chart; the token cookie never leaves.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly FrameBroadcaster _broadcaster;
    private readonly DashboardMetrics _metrics;
    private readonly DashboardAccess _access;
    private readonly IReadOnlyList<DashboardView> _views;
    private readonly TimeProvider _timeProvider;
    private readonly DateTimeOffset _started;
    private readonly CancellationToken _stopping;
    private readonly bool _loopbackOnly;

    /// <summary>Creates the routes of one dashboard.</summary>
    public DashboardEndpoints(
        FrameBroadcaster broadcaster,
        DashboardMetrics metrics,
        DashboardAccess access,
        IReadOnlyList<DashboardView> views,
        TimeProvider timeProvider,
        bool loopbackOnly,
        CancellationToken stopping)
    {
        _loopbackOnly = loopbackOnly;
        _broadcaster = broadcaster;
        _metrics = metrics;
        _access = access;
        _views = views;
        _timeProvider = timeProvider;
        _started = timeProvider.GetUtcNow();
        _stopping = stopping;
    }

    /// <summary>Adds the token check and the routes to <paramref name="app"/>.</summary>
    public void Map(WebApplication app)
    {
        app.Use(CheckAccessAsync);
        foreach (var path in StaticAssets.Paths)
        {
            app.MapGet(path, (HttpContext context) => ServeAssetAsync(context, path));
        }

        app.MapGet("/healthz", (HttpContext context) => WriteTextAsync(context, "text/plain; charset=utf-8", "ok\n"));
        app.MapGet("/metrics", (HttpContext context) =>
            WriteTextAsync(context, "text/plain; version=0.0.4; charset=utf-8", _metrics.Render()));
        app.MapGet("/api/top", TopAsync);
        app.MapGet("/api/stream", StreamAsync);
        app.MapGet("/api/chart.svg", ChartAsync);
        app.MapFallback((HttpContext context) => JsonError.WriteAsync(context, StatusCodes.Status404NotFound,
            $"There is no {context.Request.Method} {context.Request.Path}; the API has /api/top, /api/stream, /api/chart.svg, /healthz and /metrics."));
    }

    private async Task CheckAccessAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-store";
        // Without a token, loopback is the only guard: refuse pages reached under another name (DNS rebinding).
        if (_loopbackOnly && !IsLoopbackHost(context.Request.Host.Host))
        {
            await JsonError.WriteAsync(context, StatusCodes.Status400BadRequest,
                "This dashboard answers only on a loopback address such as 127.0.0.1 or localhost.").ConfigureAwait(false);
            return;
        }

        if (!_access.Required || context.Request.Path == "/healthz")
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // A browser brings the token once in the address; it moves to a cookie and out of the address bar and history.
        if (context.Request.Path == "/" && context.Request.Query.TryGetValue("token", out var token))
        {
            if (_access.Matches(token.ToString()))
            {
                context.Response.Cookies.Append(DashboardAccess.CookieName, token.ToString(), new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Path = "/",
                    IsEssential = true,
                });
                context.Response.Redirect("/");
                return;
            }
        }
        else if (_access.Allows(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await JsonError.WriteAsync(context, StatusCodes.Status401Unauthorized,
            "This dashboard needs its token: open /?token=TOKEN in a browser, or send 'Authorization: Bearer TOKEN'.").ConfigureAwait(false);
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static Task ServeAssetAsync(HttpContext context, string path)
    {
        var (contentType, content) = StaticAssets.Get(path);
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.ContentType = contentType;
        return context.Response.Body.WriteAsync(content, context.RequestAborted).AsTask();
    }

    private static Task WriteTextAsync(HttpContext context, string contentType, string text)
    {
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted);
    }

    private async Task TopAsync(HttpContext context)
    {
        if (await ReadViewAsync(context).ConfigureAwait(false) is not { } view)
        {
            return;
        }

        var n = int.MaxValue;
        var query = context.Request.Query;
        if (query.TryGetValue("n", out var nValues))
        {
            if (nValues.Count != 1 || !int.TryParse(nValues[0], NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1 || n > MaxTop)
            {
                await JsonError.WriteAsync(context, StatusCodes.Status400BadRequest,
                    $"n must be a whole number from 1 to {MaxTop}, not '{nValues}'.").ConfigureAwait(false);
                return;
            }
        }

        if (await ReadFrameAsync(context, view, _broadcaster.Latest).ConfigureAwait(false) is not { } frame)
        {
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        var json = n >= frame.View.Top.Count
            ? frame.View.Json
            : BatchJson.Serialize(frame.Batch with { Top = frame.View.Top.Take(n).ToArray() });
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ChartAsync(HttpContext context)
    {
        if (await ReadViewAsync(context).ConfigureAwait(false) is not { } view)
        {
            return;
        }

        var candidate = long.TryParse(context.Request.Query["batch"], NumberStyles.None, CultureInfo.InvariantCulture, out var batch)
            ? _broadcaster.Find(batch)
            : _broadcaster.Latest;
        if (await ReadFrameAsync(context, view, candidate).ConfigureAwait(false) is not { } frame)
        {
            return;
        }

        context.Response.ContentType = "image/svg+xml";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        await context.Response.Body.WriteAsync(frame.View.Svg.Value, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task StreamAsync(HttpContext context)
    {
        if (await ReadViewAsync(context).ConfigureAwait(false) is not { } view)
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
        var cancellationToken = stop.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var subscription = _broadcaster.Subscribe();
        try
        {
            await response.Body.WriteAsync(SseEvent.Hello(Hello()), cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            while (await subscription.Frames.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscription.Frames.TryRead(out var frame))
                {
                    if (frame.Views.TryGetValue(view, out var viewFrame))
                    {
                        await response.Body.WriteAsync(viewFrame.SseEvent, cancellationToken).ConfigureAwait(false);
                        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser left or the dashboard is stopping: the stream simply ends.
        }
    }

    private byte[] Hello()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("server_time"u8, _timeProvider.GetUtcNow().UtcDateTime);
            writer.WriteString("started"u8, _started.UtcDateTime);
            writer.WriteStartArray("views"u8);
            foreach (var view in _views)
            {
                writer.WriteStringValue(view.Name());
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task<DashboardView?> ReadViewAsync(HttpContext context)
    {
        var values = context.Request.Query["view"];
        if (values.Count == 0)
        {
            return DashboardView.All;
        }

        if (values.Count > 1 || !DashboardViews.TryParse(values[0], out var view))
        {
            await JsonError.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"view must be one of all, window, trending, not '{values}'.").ConfigureAwait(false);
            return null;
        }

        if (!_views.Contains(view))
        {
            await JsonError.WriteAsync(context, StatusCodes.Status404NotFound,
                $"This counter has no '{view.Name()}' view; it has: {string.Join(", ", _views.Select(DashboardViews.Name))}.").ConfigureAwait(false);
            return null;
        }

        return view;
    }

    private static async Task<(BatchResult Batch, ViewFrame View)?> ReadFrameAsync(
        HttpContext context, DashboardView view, DashboardFrame? frame)
    {
        if (frame is null || !frame.Views.TryGetValue(view, out var viewFrame))
        {
            context.Response.Headers.RetryAfter = "1";
            await JsonError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                "Waiting for data: no batch has closed yet.").ConfigureAwait(false);
            return null;
        }

        return (frame.Batch, viewFrame);
    }
}
