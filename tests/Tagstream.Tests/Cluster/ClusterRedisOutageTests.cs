using System.Diagnostics;
using System.Text.Json;
using Tagstream.Tests.Cli;
using Tagstream.Tests.Counting;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Cluster;

/// <summary>Redis killed in the middle of a job and started again on its append-only file: the job goes on exactly.</summary>
[Collection(ClusterSerial.Name)]
public sealed class ClusterRedisOutageTests
{
    [Fact]
    public async Task Count_RedisKilledAndRestartedMidJob_NodesSaySoAndTheTotalsStayExact()
    {
        const int Posts = 40_000;
        using var folder = new TempDirectory();
        (string file, NaiveReference reference) = await ClusterInput.WriteAsync(folder.Path, seed: 11, Posts);
        await using RedisServer redis = await RedisServer.StartAsync();
        string clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];
        await using NodeProcess first = await NodeProcess.StartAsync(redis.Url, clusterId);
        await using NodeProcess second = await NodeProcess.StartAsync(redis.Url, clusterId);
        await using CliProcess count = CliProcess.Start(
            "count", "--cluster", redis.Url, "--cluster-id", clusterId, "--job", "outage", "--source", "replay", "--file", file,
            "--rate", "10000", "--until-eof", "--output", "jsonl", "--interval", "200ms", "--top", "5000", "--no-dashboard");
        await count.WaitForStdoutAsync("total_posts");

        await redis.KillAsync();
        var watch = Stopwatch.StartNew();
        while (!(first.Process.Stdout + second.Process.Stdout).Contains("Redis cannot be reached", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "No node said that Redis was lost.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await redis.RestartAsync();

        Assert.Equal(0, await count.WaitForExitAsync(TimeSpan.FromSeconds(180)));
        JsonElement last = JsonDocument.Parse(count.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal(Posts, last.GetProperty("total_posts").GetInt64());
        Assert.Equal(reference.Tags, last.GetProperty("total_tags").GetInt64());
        Assert.Equal(reference.Top(5000), ClusterInput.Ranking(last));
        string nodes = first.Process.Stdout + second.Process.Stdout;
        Assert.Contains("Redis is back", nodes, StringComparison.Ordinal);
    }
}
