using System.Globalization;
using System.Text.Json;
using Tagstream.Tests.Cli;
using Xunit;

namespace Tagstream.Tests.Dashboard;

/// <summary>The dashboard inside a real <c>tagstream count</c> process, counting a real feed over loopback.</summary>
public sealed class CountDashboardEndToEndTests
{
    [Fact]
    public async Task Count_WithDashboard_ApiTopIsTheJsonlLineOfTheSameBatch()
    {
        await using var feed = CliProcess.Start("feed", "--limit", "20000", "--port", "0", "--quiet", "--seed", "3", "--vocabulary", "2000");
        int port = await feed.FeedPortAsync();
        await using var count = CliProcess.Start("count", "--connect", $"127.0.0.1:{port}", "--output", "jsonl", "--interval", "200ms",
            "--dashboard-url", "http://127.0.0.1:0");
        var url = new Uri((await count.WaitForStderrAsync(@"^Dashboard: (http://127\.0\.0\.1:\d+/)$")).Groups[1].Value);
        using var client = new HttpClient { BaseAddress = url };
        Assert.Equal(0, await feed.WaitForExitAsync());

        // The feed has sent everything; wait for a batch that has counted all of it.
        string api;
        do
        {
            using var response = await client.GetAsync("/api/top", TestContext.Current.CancellationToken);
            api = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        }
        while (!api.Contains("\"total_posts\":20000,", StringComparison.Ordinal));

        long batch;
        using (var json = JsonDocument.Parse(api))
        {
            batch = json.RootElement.GetProperty("batch").GetInt64();
        }

        var line = await count.WaitForStdoutAsync(string.Create(CultureInfo.InvariantCulture, $@"^\{{""time"":.*""batch"":{batch},.*$"));
        Assert.Equal(line.Value, api);
        var metrics = await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("\ntagstream_posts_total 20000\n", metrics, StringComparison.Ordinal);
    }
}
