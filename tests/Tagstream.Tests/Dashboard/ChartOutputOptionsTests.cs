using System.CommandLine;
using Tagstream.Cli.Charts;
using Tagstream.Cli.Commands;
using Tagstream.Cli.Dashboard;
using Xunit;

namespace Tagstream.Tests.Dashboard;

public sealed class ChartOutputOptionsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_Defaults_ServesTheDashboardAndPrintsItsUrl()
    {
        using var log = new StringWriter();

        await using var outputs = await StartAsync(log, "--dashboard-url", "http://127.0.0.1:0");

        Assert.NotNull(outputs.Dashboard);
        Assert.Equal([outputs.Dashboard.Sink], outputs.Sinks);
        Assert.Equal($"Dashboard: {outputs.Dashboard.Url}{Environment.NewLine}", log.ToString());
        using var client = new HttpClient();
        Assert.Equal("ok\n", await client.GetStringAsync(new Uri(outputs.Dashboard.Url, "/healthz"), Cancel));
    }

    [Fact]
    public async Task Start_PngSvgAndNoDashboard_AddsOnlyFileSinks()
    {
        using var log = new StringWriter();
        var directory = Path.Combine(Path.GetTempPath(), "tagstream-outputs-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var outputs = await StartAsync(log, "--no-dashboard", "--png", Path.Combine(directory, "png"), "--svg", Path.Combine(directory, "svg"));

            Assert.Null(outputs.Dashboard);
            Assert.Equal(2, outputs.Sinks.Count);
            Assert.All(outputs.Sinks, static sink => Assert.IsType<ChartFileSink>(sink));
            Assert.True(Directory.Exists(Path.Combine(directory, "png")));
            Assert.Equal("", log.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Start_AllInterfacesWithToken_NeverPrintsTheToken()
    {
        using var log = new StringWriter();

        await using var outputs = await StartAsync(log, "--dashboard-url", "http://0.0.0.0:0", "--dashboard-token", "hunter2-token");

        Assert.DoesNotContain("hunter2", log.ToString(), StringComparison.Ordinal);
        Assert.Contains($"?token=<your {DashboardOptions.TokenVariable}>", log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://example.org:4040", "needs an IP address or localhost")]
    [InlineData("ftp://127.0.0.1:21", "--dashboard-url must be")]
    [InlineData("not a url", "--dashboard-url must be")]
    public async Task Start_InvalidDashboardOptions_AreUsageErrors(string url, string message)
    {
        using var log = new StringWriter();
        var error = await Assert.ThrowsAsync<UsageException>(async () => await StartAsync(log, "--dashboard-url", url));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static Task<ChartOutputs> StartAsync(TextWriter log, params string[] args)
    {
        var options = new ChartOutputOptions();
        var command = new RootCommand();
        options.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return options.StartAsync(parse, [DashboardView.All], TimeProvider.System, log, Cancel);
    }
}
