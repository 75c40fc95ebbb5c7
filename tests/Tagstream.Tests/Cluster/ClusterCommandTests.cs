using Tagstream.Tests.Cli;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Cluster;

/// <summary>The cluster's commands refuse what they cannot do with one line and the documented exit code.</summary>
[Collection(ClusterSerial.Name)]
public sealed class ClusterCommandTests
{
    [Fact]
    public async Task Node_RedisUnreachable_SaysSoInOneLineAndExits2()
    {
        int port = RedisServer.FreePort();
        await using CliProcess node = CliProcess.Start(
            "node", "--cluster", $"redis://127.0.0.1:{port}", "--silo-port", $"{RedisServer.FreePort()}");

        Assert.Equal(2, await node.WaitForExitAsync());
        Assert.Equal(
            $"tagstream node: cannot reach the cluster's Redis at redis://127.0.0.1:{port}: nothing answered there.\n", node.Stderr);
    }

    [Fact]
    public async Task Node_RemoteRedisWithoutPassword_IsRefusedBeforeConnecting()
    {
        await using CliProcess node = CliProcess.StartWith(
            new Dictionary<string, string?> { ["TAGSTREAM_REDIS_PASSWORD"] = null }, "node", "--cluster", "redis://192.0.2.1:6379");

        Assert.Equal(2, await node.WaitForExitAsync());
        Assert.Single(node.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("needs a password", node.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_PasswordGiven_IsNeverPrinted()
    {
        int port = RedisServer.FreePort();
        await using CliProcess node = CliProcess.Start("node", "--cluster", $"redis://:hunter2-secret@127.0.0.1:{port}");

        Assert.Equal(2, await node.WaitForExitAsync());
        Assert.DoesNotContain("hunter2", node.Stderr + node.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--checkpoint", "dir")]
    [InlineData("--no-checkpoint", null)]
    [InlineData("--window", "1m")]
    [InlineData("--sql", "select hashtag, total from hashtags")]
    [InlineData("--max-tags", "100")]
    [InlineData("--workers", "1")]
    public async Task Count_ClusterWithAnOptionItDoesNotRun_IsRefusedNamingIt(string option, string? value)
    {
        string[] extra = value is null ? [option] : [option, value];
        await using CliProcess count = CliProcess.Start(["count", "--cluster", "redis://127.0.0.1:1", "--source", "synthetic", .. extra]);

        Assert.Equal(2, await count.WaitForExitAsync());
        Assert.Equal($"tagstream count: {option} cannot be used with --cluster.\n", count.Stderr);
    }

    [Theory]
    [InlineData("stdin")]
    [InlineData("bluesky")]
    public async Task Count_ClusterWithASourceOnlyThisProcessCanRead_IsRefused(string source)
    {
        await using CliProcess count = CliProcess.Start("count", "--cluster", "redis://127.0.0.1:1", "--source", source, "--no-dashboard");

        Assert.Equal(2, await count.WaitForExitAsync());
        Assert.StartsWith($"tagstream count: --source {source} cannot run on a cluster", count.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_JobWithoutCluster_IsRefused()
    {
        await using CliProcess count = CliProcess.Start("count", "--job", "j", "--no-checkpoint");

        Assert.Equal(2, await count.WaitForExitAsync());
        Assert.Equal("tagstream count: --job cannot be used without --cluster.\n", count.Stderr);
    }

    [Fact]
    public async Task Count_JobNameReusedWithAnotherSource_IsRefused()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        string[] common =
        [
            "count", "--cluster", redis.Url, "--cluster-id", "refuse", "--job", "j", "--no-dashboard", "--output", "jsonl",
            "--source", "synthetic",
        ];

        // No node runs: the first count registers the job and waits for batches; the second names another stream.
        await using CliProcess first = CliProcess.Start([.. common, "--seed", "1"]);
        await first.WaitForStderrAsync("^Started job 'j'");
        await using CliProcess second = CliProcess.Start([.. common, "--seed", "2"]);

        Assert.Equal(2, await second.WaitForExitAsync());
        Assert.Equal(
            "tagstream count: job 'j' counts another source (synthetic seed=1 zipf=1.1 vocabulary=1000000 terms=): choose another --job.\n",
            second.Stderr);
        await using CliProcess third = CliProcess.Start([.. common, "--seed", "1"]);
        await third.WaitForStderrAsync("^Attached to job 'j'");
    }
}
