using System.Text;
using Tagstream.Sources.Live.Transport;
using Tagstream.Sources.Live.X;

namespace Tagstream.Tests.Sources.Live.X;

public sealed class XFilteredStreamTests
{
    private static readonly string[] FixtureLines = File.ReadAllText(TestDataFiles.Fixture("x_v2_filtered_stream.ndjson"))
        .Split("\r\n")[..^1];

    private static readonly string Post1 = FixtureLines[0];
    private static readonly string OperationalDisconnect = FixtureLines[2];
    private static readonly string Post2 = Post1.Replace("1790000000000000001", "1790000000000000002", StringComparison.Ordinal);
    private static readonly string Post3 = Post1.Replace("1790000000000000001", "1790000000000000003", StringComparison.Ordinal);

    [Fact]
    public void Fixture_HasPostKeepAliveAndErrorObject()
    {
        Assert.Equal(3, FixtureLines.Length);
        Assert.Equal("", FixtureLines[1]);
        Assert.Contains("operational-disconnect", OperationalDisconnect, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPayloadsAsync_KeepAlivesAndOperationalDisconnect_SkipsKeepAlivesAndReconnectsAfter250Ms()
    {
        var api = new XFakeApi();
        api.ThenStream(Post1 + "\r\n", "\r\n", "\r\n", OperationalDisconnect + "\r\n");
        api.ThenStream("\r\n", Post2 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 2);

        Assert.Equal([Post1, Post2], payloads);
        Assert.Equal([TimeSpan.FromMilliseconds(250)], test.Delays);
        var line = Assert.Single(test.Lines, l => l.Contains("operational-disconnect", StringComparison.Ordinal));
        Assert.Contains("reconnecting in 250 ms", line, StringComparison.Ordinal);
        Assert.Equal(2, api.StreamQueries.Count);
        Assert.All(api.StreamQueries, q => Assert.Equal("?" + XFilteredStream.StreamPath.Split('?')[1], q));
        AssertNoToken(test);
    }

    [Fact]
    public async Task ReadPayloadsAsync_SendsTheBearerTokenInTheAuthorizationHeader()
    {
        var api = new XFakeApi();
        api.ThenStream(Post1 + "\r\n");
        var test = new LiveTestContext();

        await ReadAsync(api, test, 1);

        Assert.All(api.Authorizations, a => Assert.Equal("Bearer " + LiveTestContext.Token, a));
    }

    [Fact]
    public async Task ReadPayloadsAsync_Http429_BacksOffExponentiallyFromOneMinute()
    {
        var api = new XFakeApi();
        for (var i = 0; i < 5; i++)
        {
            api.ThenStatus(429, """{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}""");
        }

        api.ThenStream(Post1 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 1);

        Assert.Equal([Post1], payloads);
        Assert.Equal([60, 120, 240, 480, 960], test.Delays.Select(d => d.TotalSeconds));
        // Five identical failures within the summary interval: one line, the repeats counted, not printed.
        var line = Assert.Single(test.Lines);
        Assert.Contains("HTTP 429", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPayloadsAsync_Http503_BacksOffExponentiallyFromFiveSecondsAndResetsAfterSuccess()
    {
        var api = new XFakeApi();
        api.ThenStatus(503, "Service Unavailable");
        api.ThenStatus(503, "Service Unavailable");
        api.ThenStatus(500, "");
        api.ThenStreamAndEnd(Post1 + "\r\n");
        api.ThenStatus(503, "Service Unavailable");
        api.ThenStream(Post2 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 2);

        Assert.Equal([Post1, Post2], payloads);
        // 5, 10, 20 s for the HTTP errors; the clean end of the good connection is a network error (250 ms) after the
        // reset; the following 503 starts again at 5 s.
        Assert.Equal([5, 10, 20, 0.25, 5], test.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void ReconnectBackoff_HttpErrors_CapAt320Seconds()
    {
        var backoff = new ReconnectBackoff();
        var delays = Enumerable.Range(0, 9).Select(_ => backoff.Next(ReconnectReason.Http).TotalSeconds);
        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 320, 320], delays);
    }

    [Fact]
    public void ReconnectBackoff_NetworkErrors_GrowBy250MsUpTo16Seconds()
    {
        var backoff = new ReconnectBackoff();
        var delays = Enumerable.Range(0, 70).Select(_ => backoff.Next(ReconnectReason.Network).TotalMilliseconds).ToList();
        Assert.Equal(Enumerable.Range(1, 64).Select(i => i * 250.0), delays[..64]);
        Assert.All(delays[64..], d => Assert.Equal(16_000, d));
        backoff.Reset();
        Assert.Equal(250, backoff.Next(ReconnectReason.Network).TotalMilliseconds);
    }

    [Fact]
    public async Task ReadPayloadsAsync_ConnectionDroppedBeforeAnswer_BacksOffLinearly()
    {
        var api = new XFakeApi();
        for (var i = 0; i < 3; i++)
        {
            api.Then(context =>
            {
                context.Abort();
                return Task.CompletedTask;
            });
        }

        api.ThenStream(Post1 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 1);

        Assert.Equal([Post1], payloads);
        Assert.Equal([250, 500, 750], test.Delays.Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public async Task ReadPayloadsAsync_TooManyConnectionsInStream_BacksOffAsForRateLimits()
    {
        var api = new XFakeApi();
        api.ThenStream("""{"title":"ConnectionException","detail":"This stream is currently at the maximum allowed connection limit.","connection_issue":"TooManyConnections","type":"https://api.x.com/2/problems/streaming-connection"}""" + "\r\n");
        api.ThenStream(Post1 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 1);

        Assert.Equal([Post1], payloads);
        Assert.Equal([TimeSpan.FromSeconds(60)], test.Delays);
        Assert.Contains(test.Lines, l => l.Contains("TooManyConnections", StringComparison.Ordinal) || l.Contains("maximum allowed connection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadPayloadsAsync_OtherStreamError_IsReportedOnceAndReadingGoesOn()
    {
        var api = new XFakeApi();
        var error = """{"errors":[{"title":"Something odd","detail":"odd"}]}""" + "\r\n";
        api.ThenStream(error, Post1 + "\r\n", error, Post2 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 2);

        Assert.Equal([Post1, Post2], payloads);
        Assert.Empty(test.Delays);
        Assert.Single(test.Lines, l => l.Contains("Something odd", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadPayloadsAsync_PostWithPartialErrors_IsAPostNotAStreamError()
    {
        var api = new XFakeApi();
        var partial = Post1[..^1] + ""","errors":[{"title":"Not Found Error","detail":"Could not find user"}]}""";
        api.ThenStream(partial + "\r\n");
        var test = new LiveTestContext();

        Assert.Equal([partial], await ReadAsync(api, test, 1));
    }

    [Fact]
    public async Task ReadPayloadsAsync_ClosedMidRecord_DropsThePartialRecordAndResumes()
    {
        var api = new XFakeApi();
        api.ThenStreamAndEnd(Post1 + "\r\n", Post2[..40]);
        api.ThenStream(Post3 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 2);

        Assert.Equal([Post1, Post3], payloads);
        Assert.Contains(test.Lines, l => l.Contains("middle of a record", StringComparison.Ordinal));
        Assert.Equal([TimeSpan.FromMilliseconds(250)], test.Delays);
    }

    [Fact]
    public async Task ReadPayloadsAsync_ConnectionResetMidRecord_ReconnectsAndResumes()
    {
        // The reset comes only once the client has the first post: Kestrel discards output still queued when it aborts.
        var clientHasFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new XFakeApi();
        api.Then(async context =>
        {
            await XFakeApi.WritePiecesAsync(context, [Post1 + "\r\n", Post2[..40]]);
            await clientHasFirst.Task.WaitAsync(context.RequestAborted);
            context.Abort();
        });
        api.ThenStream(Post3 + "\r\n");
        var test = new LiveTestContext();
        await using var server = await FakeServer.StartAsync(api.HandleAsync);
        using var http = LiveHttp.CreateClient();
        using var guard = LiveTestContext.Guard();
        await using var payloads = new XFilteredStream(http, Options(server.BaseUri), test.Context).ReadPayloadsAsync(guard.Token).GetAsyncEnumerator(guard.Token);

        Assert.True(await payloads.MoveNextAsync());
        Assert.Equal(Post1, Encoding.UTF8.GetString(payloads.Current));
        clientHasFirst.SetResult();
        Assert.True(await payloads.MoveNextAsync());
        Assert.Equal(Post3, Encoding.UTF8.GetString(payloads.Current));

        Assert.Equal([TimeSpan.FromMilliseconds(250)], test.Delays);
        Assert.Single(test.Lines, l => l.Contains("connection failed", StringComparison.Ordinal));
        AssertNoToken(test);
    }

    [Fact]
    public async Task ReadPayloadsAsync_GarbageLines_ArePassedOnForTheParserToReport()
    {
        var api = new XFakeApi();
        api.ThenStream("not json at all\r\n", "{\"data\":\r\n", Post1 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 3);

        Assert.Equal(["not json at all", "{\"data\":", Post1], payloads);
    }

    [Fact]
    public async Task ReadPayloadsAsync_OversizedRecord_IsSkippedAndReported()
    {
        var api = new XFakeApi();
        var huge = "{\"data\":{\"text\":\"" + new string('x', 5000) + "\"}}";
        api.ThenStream(huge[..2000], huge[2000..] + "\r\n", Post1 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 1, options => options with { MaxRecordBytes = 1024 });

        Assert.Equal([Post1], payloads);
        Assert.Single(test.Lines, l => l.Contains("longer than 1024 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadPayloadsAsync_ServerNeverAnswers_TimesOutAndReconnects()
    {
        var api = new XFakeApi();
        api.Then(XFakeApi.WaitForClientAsync);
        api.ThenStream(Post1 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 1, options => options with { ReadTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal([Post1], payloads);
        Assert.Contains(test.Lines, l => l.Contains("the stream did not answer", StringComparison.Ordinal));
        // A loaded machine may also time out a request that was merely slow: network back-off either way.
        Assert.Equal([.. Enumerable.Range(1, test.Delays.Count).Select(i => TimeSpan.FromMilliseconds(250 * i))], test.Delays);
        Assert.NotEmpty(test.Delays);
    }

    [Fact]
    public async Task ReadPayloadsAsync_StreamGoesSilent_TimesOutAndReconnects()
    {
        var api = new XFakeApi();
        api.ThenStream("\r\n");
        api.ThenStream(Post1 + "\r\n");
        var test = new LiveTestContext();

        var payloads = await ReadAsync(api, test, 1, options => options with { ReadTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal([Post1], payloads);
        Assert.Contains(test.Lines, l => l.Contains("not even a keep-alive", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(401, "X_BEARER_TOKEN")]
    [InlineData(403, "access to the filtered stream")]
    [InlineData(404, "cannot help")]
    public async Task ReadPayloadsAsync_StatusWhereRetryingCannotHelp_StopsWithOneClearLine(int status, string expected)
    {
        var api = new XFakeApi();
        api.ThenStatus(status, $$"""{"title":"Refused","detail":"Refused","status":{{status}}}""");
        var test = new LiveTestContext();

        var error = await Assert.ThrowsAsync<LiveSourceException>(() => ReadAsync(api, test, 1));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain(LiveTestContext.Token, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(test.Delays);
    }

    [Fact]
    public async Task ReadPayloadsAsync_RulesEndpointRejectsTheToken_StopsBeforeConnecting()
    {
        var api = new XFakeApi { RulesStatus = 401 };
        var test = new LiveTestContext();

        var error = await Assert.ThrowsAsync<LiveSourceException>(() => ReadAsync(api, test, 1));

        Assert.Contains("set X_BEARER_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Empty(api.StreamQueries);
    }

    internal static XStreamOptions Options(Uri baseUrl) => new()
    {
        BearerToken = new SecretToken("X_BEARER_TOKEN", LiveTestContext.Token),
        Terms = ["dotnet", "csharp"],
        BaseUrl = baseUrl,
    };

    private static async Task<List<string>> ReadAsync(XFakeApi api, LiveTestContext test, int count, Func<XStreamOptions, XStreamOptions>? configure = null)
    {
        await using var server = await FakeServer.StartAsync(api.HandleAsync);
        using var http = LiveHttp.CreateClient();
        var options = Options(server.BaseUri);
        var stream = new XFilteredStream(http, configure is null ? options : configure(options), test.Context);
        using var guard = LiveTestContext.Guard();
        var payloads = await stream.ReadPayloadsAsync(guard.Token).Take(count).ToListAsync(guard.Token);
        AssertNoToken(test);
        return [.. payloads.Select(p => Encoding.UTF8.GetString(p))];
    }

    private static void AssertNoToken(LiveTestContext test) =>
        Assert.All(test.Lines, l => Assert.DoesNotContain(LiveTestContext.Token, l, StringComparison.Ordinal));
}
