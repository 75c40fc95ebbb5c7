using Xunit;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Tagstream.Cli.Dashboard;

namespace Tagstream.Tests.Dashboard;

public sealed class DashboardApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Top_BeforeFirstBatch_IsWaitingForData()
    {
        await using var host = await DashboardHost.StartAsync();

        using var response = await host.Client.GetAsync("/api/top", Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Waiting for data", await ErrorOf(response));
    }

    [Fact]
    public async Task Top_AfterBatch_IsTheJsonlObjectOfThatBatch()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PublishAsync(1);
        await host.PublishAsync(2);
        var expected = TestBatches.Make(2);

        using var response = await host.Client.GetAsync("/api/top", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        var root = json.RootElement;

        Assert.Equal(
            ["time", "batch", "source", "posts", "tags", "total_posts", "total_tags", "malformed", "distinct_tags", "top"],
            root.EnumerateObject().Select(static p => p.Name));
        Assert.Equal(expected.Time, DateTimeOffset.Parse(root.GetProperty("time").GetString()!, CultureInfo.InvariantCulture));
        Assert.EndsWith("Z", root.GetProperty("time").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, root.GetProperty("batch").GetInt64());
        Assert.Equal("synthetic", root.GetProperty("source").GetString());
        Assert.Equal(expected.Posts, root.GetProperty("posts").GetInt64());
        Assert.Equal(expected.Tags, root.GetProperty("tags").GetInt64());
        Assert.Equal(expected.TotalPosts, root.GetProperty("total_posts").GetInt64());
        Assert.Equal(expected.TotalTags, root.GetProperty("total_tags").GetInt64());
        Assert.Equal(expected.Malformed, root.GetProperty("malformed").GetInt64());
        Assert.Equal(expected.DistinctTags, root.GetProperty("distinct_tags").GetInt64());
        Assert.Equal(
            expected.Top.Select(static e => (e.Hashtag, e.Total)),
            root.GetProperty("top").EnumerateArray().Select(static e => (e.GetProperty("hashtag").GetString()!, e.GetProperty("total").GetInt64())));
    }

    [Fact]
    public async Task Top_WithN_ReturnsTheFirstN()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PublishAsync(3);

        using var five = JsonDocument.Parse(await host.Client.GetStringAsync("/api/top?view=all&n=5", Cancel));
        using var more = JsonDocument.Parse(await host.Client.GetStringAsync("/api/top?n=1000", Cancel));

        Assert.Equal(["tag00", "tag01", "tag02", "tag03", "tag04"],
            five.RootElement.GetProperty("top").EnumerateArray().Select(static e => e.GetProperty("hashtag").GetString()));
        Assert.Equal(20, more.RootElement.GetProperty("top").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/top?n=-1", "n must be")]
    [InlineData("/api/top?n=0", "n must be")]
    [InlineData("/api/top?n=100000", "n must be")]
    [InlineData("/api/top?n=ten", "n must be")]
    [InlineData("/api/top?n=1&n=2", "n must be")]
    [InlineData("/api/top?view=foo", "view must be")]
    [InlineData("/api/stream?view=foo", "view must be")]
    [InlineData("/api/chart.svg?view=ALL", "view must be")]
    public async Task Api_BadParameter_Is400WithJsonError(string path, string message)
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PublishAsync(1);

        using var response = await host.Client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, await ErrorOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_ViewTheCounterLacks_Is404()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PublishAsync(1);

        using var response = await host.Client.GetAsync("/api/top?view=window", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("This counter has no 'window' view; it has: all.", await ErrorOf(response));
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/api/topp")]
    [InlineData("/api/top/5")]
    public async Task UnknownRoute_Is404WithJsonError(string path)
    {
        await using var host = await DashboardHost.StartAsync();

        using var response = await host.Client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("There is no GET " + path, await ErrorOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_IsOk()
    {
        await using var host = await DashboardHost.StartAsync();

        Assert.Equal("ok\n", await host.Client.GetStringAsync("/healthz", Cancel));
    }

    [Fact]
    public async Task Page_IsServedWithItsAssetsAndAStrictPolicy()
    {
        await using var host = await DashboardHost.StartAsync();

        using var page = await host.Client.GetAsync("/", Cancel);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        var script = await host.Client.GetStringAsync("/dashboard.js", Cancel);
        var style = await host.Client.GetStringAsync("/dashboard.css", Cancel);

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<table id=\"ranking\">", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("EventSource", script, StringComparison.Ordinal);
        Assert.Contains(".status", style, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chart_IsTheSvgOfTheAskedBatch()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PublishAsync(1, count: 3);
        await host.PublishAsync(2, count: 4);

        using var first = await host.Client.GetAsync("/api/chart.svg?view=all&batch=1", Cancel);
        var firstSvg = await first.Content.ReadAsStringAsync(Cancel);
        var latestSvg = await host.Client.GetStringAsync("/api/chart.svg", Cancel);

        Assert.Equal("image/svg+xml", first.Content.Headers.ContentType?.MediaType);
        Assert.Contains("tag02", firstSvg, StringComparison.Ordinal);
        Assert.DoesNotContain("tag03", firstSvg, StringComparison.Ordinal);
        Assert.Contains("tag03", latestSvg, StringComparison.Ordinal);
        using var metrics = await host.Client.GetAsync("/metrics", Cancel);
        Assert.Contains("tagstream_dashboard_chart_seconds_count 2\n", await metrics.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_MoveWithBatches()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PublishAsync(1);
        var before = await MetricsOf(host);
        await host.PublishAsync(2);
        await host.Server.Sink.OnBatchAsync(TestBatches.Make(3) with { CheckpointDuration = TimeSpan.FromMilliseconds(250), Duration = TimeSpan.FromMilliseconds(40) }, Cancel);
        var after = await MetricsOf(host);

        Assert.Equal(1, before["tagstream_batches_total"]);
        Assert.Equal(3, after["tagstream_batches_total"]);
        Assert.Equal(TestBatches.Make(1).TotalPosts, before["tagstream_posts_total"]);
        Assert.Equal(TestBatches.Make(3).TotalPosts, after["tagstream_posts_total"]);
        Assert.Equal(TestBatches.Make(3).TotalTags, after["tagstream_tags_total"]);
        Assert.Equal(3, after["tagstream_malformed_total"]);
        Assert.Equal(20, after["tagstream_distinct_tags"]);
        Assert.Equal(0, after["tagstream_dashboard_clients"]);
        Assert.Equal(3, after["tagstream_dashboard_publish_seconds_count"]);
        Assert.False(before.ContainsKey("tagstream_checkpoint_duration_seconds_count"));
        Assert.False(after.ContainsKey("tagstream_dashboard_chart_seconds_count"));
        Assert.Equal(1, after["tagstream_checkpoint_duration_seconds_count"]);
        Assert.Equal(0.25, after["tagstream_checkpoint_duration_seconds_sum"]);
        Assert.Equal(3, after["tagstream_batch_duration_seconds_count"]);
        Assert.Equal(0.04, after["tagstream_batch_duration_seconds_sum"], 6);
    }

    [Fact]
    public async Task Metrics_CountConnectedStreams()
    {
        await using var host = await DashboardHost.StartAsync();
        await using var first = await SseReader.OpenAsync(host.Server.Url, "/api/stream", Cancel);
        await using var second = await SseReader.OpenAsync(host.Server.Url, "/api/stream", Cancel);
        await first.ReadEventAsync(Cancel);
        await second.ReadEventAsync(Cancel);

        Assert.Equal(2, (await MetricsOf(host))["tagstream_dashboard_clients"]);
    }

    [Fact]
    public async Task Stream_SendsHelloThenEachBatch()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PublishAsync(1);
        await using var stream = await SseReader.OpenAsync(host.Server.Url, "/api/stream?view=all", Cancel);

        var hello = await stream.ReadEventAsync(Cancel);
        var first = await stream.ReadEventAsync(Cancel);
        await host.PublishAsync(2);
        var second = await stream.ReadEventAsync(Cancel);

        Assert.Equal("hello", hello.Name);
        using (var json = JsonDocument.Parse(hello.Data))
        {
            Assert.Equal(["all"], json.RootElement.GetProperty("views").EnumerateArray().Select(static v => v.GetString()));
        }

        Assert.Equal(("batch", "1"), (first.Name, first.Id));
        Assert.Equal(("batch", "2"), (second.Name, second.Id));
        Assert.Equal(await host.Client.GetStringAsync("/api/top", Cancel), second.Data);
    }

    [Fact]
    public async Task Start_OtherInterfaceWithoutToken_IsRefused()
    {
        var options = new DashboardOptions(new Uri("http://0.0.0.0:0"), Token: null, [DashboardView.All]);

        var error = await Assert.ThrowsAsync<DashboardException>(() => DashboardServer.StartAsync(options, TimeProvider.System, Cancel));

        Assert.Contains(DashboardOptions.TokenVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PortInUse_NamesThePortAndSaysItIsInUse()
    {
        await using var host = await DashboardHost.StartAsync();
        var options = new DashboardOptions(host.Server.Url, Token: null, [DashboardView.All]);

        var error = await Assert.ThrowsAsync<DashboardException>(() => DashboardServer.StartAsync(options, TimeProvider.System, Cancel));

        Assert.Contains(":" + host.Server.Url.Port.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.True(error.AddressInUse);
    }

    [Theory]
    [InlineData("https://127.0.0.1:4040")]
    [InlineData("http://127.0.0.1:4040/dashboard")]
    [InlineData("http://example.org:4040")]
    public async Task Start_BadUrl_IsRefusedWithOneLine(string url)
    {
        var options = new DashboardOptions(new Uri(url), Token: null, [DashboardView.All]);

        var error = await Assert.ThrowsAsync<DashboardException>(() => DashboardServer.StartAsync(options, TimeProvider.System, Cancel));

        Assert.StartsWith("--dashboard-url", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Token_IsRequiredByPageAndApiButNotHealth()
    {
        await using var host = await DashboardHost.StartAsync(token: "s3cret-token");
        await host.PublishAsync(1);

        using var page = await host.Client.GetAsync("/", Cancel);
        using var api = await host.Client.GetAsync("/api/top", Cancel);
        using var stream = await host.Client.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var metrics = await host.Client.GetAsync("/metrics", Cancel);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/top");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-tokeN");
        using var wrongResponse = await host.Client.SendAsync(wrong, Cancel);
        using var health = await host.Client.GetAsync("/healthz", Cancel);

        Assert.All([page, api, stream, metrics, wrongResponse], static r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.DoesNotContain("s3cret", await api.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Token_AsBearerOrThroughThePageCookie_IsAccepted()
    {
        await using var host = await DashboardHost.StartAsync(token: "s3cret-token");
        await host.PublishAsync(1);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/top");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
        using var bearerResponse = await host.Client.SendAsync(bearer, Cancel);

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = host.Server.Url };
        using var entry = await browser.GetAsync("/?token=s3cret-token", Cancel);
        using var api = await browser.GetAsync("/api/top", Cancel);

        Assert.Equal(HttpStatusCode.OK, bearerResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, entry.StatusCode);
        Assert.Equal(host.Server.Url, entry.RequestMessage!.RequestUri);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task LoopbackWithoutToken_RefusesForeignHostNames()
    {
        await using var host = await DashboardHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/top");
        request.Headers.Host = "attacker.example";

        using var response = await host.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        return json.RootElement.GetProperty("error").GetString()!;
    }

    private static async Task<Dictionary<string, double>> MetricsOf(DashboardHost host)
    {
        using var response = await host.Client.GetAsync("/metrics", Cancel);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(static line => !line.StartsWith('#'))
            .Select(static line => line.Split(' '))
            .ToDictionary(static parts => parts[0], static parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
