using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Tagstream.Sources.Synthetic;
using Tagstream.Tests.Counting;
using Xunit;

namespace Tagstream.Tests.Cli;

/// <summary>The real feed and count programs, as processes talking over loopback TCP.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task FeedAndCount_SeededStreamOf100000Posts_FinalTotalsEqualTheReference()
    {
        var options = new SyntheticOptions { Seed = 5, Vocabulary = 3000, Terms = ["football"] };
        await using var feed = CliProcess.Start("feed", "--limit", "100000", "--port", "0", "--quiet", "--seed", "5", "--vocabulary", "3000", "football");
        int port = await feed.FeedPortAsync();
        await using var count = CliProcess.Start("count", "--no-dashboard", "--connect", $"127.0.0.1:{port}", "--until-eof", "--output", "jsonl", "--interval", "200ms", "--top", "5000");

        Assert.Equal(0, await count.WaitForExitAsync());
        Assert.Equal(0, await feed.WaitForExitAsync());

        NaiveReference reference = SyntheticReference.Count(await SyntheticReference.LinesAsync(options, 100_000));
        JsonElement last = LastBatch(count.Stdout);
        Assert.Equal(100_000, last.GetProperty("total_posts").GetInt64());
        Assert.Equal(reference.Tags, last.GetProperty("total_tags").GetInt64());
        Assert.Equal(0, last.GetProperty("malformed").GetInt64());
        Assert.Equal(reference.Top(5000), Ranking(last));
        Assert.Contains("Sent 100,000 posts", feed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_TwoCounters_EachCountsExactlyTheLinesFromWhenItJoined()
    {
        // 30 000 posts at 3000 posts/s: ten seconds, time enough for the second counter to start and join midway.
        var options = new SyntheticOptions { Seed = 11, Vocabulary = 500, Rate = 3000 };
        await using var feed = CliProcess.Start("feed", "--limit", "30000", "--rate", "3000", "--port", "0", "--quiet", "--seed", "11", "--vocabulary", "500");
        int port = await feed.FeedPortAsync();
        string[] countArgs = ["count", "--no-dashboard", "--connect", $"127.0.0.1:{port}", "--until-eof", "--output", "jsonl", "--interval", "200ms", "--top", "1000"];
        await using var first = CliProcess.Start(countArgs);
        await first.WaitForStdoutAsync(@"""total_posts"":[1-9]");
        await using var second = CliProcess.Start(countArgs);
        long joinedAt = long.Parse((await second.WaitForStderrAsync(@"from line (\d+)\.")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(0, await first.WaitForExitAsync());
        Assert.Equal(0, await second.WaitForExitAsync());
        Assert.Equal(0, await feed.WaitForExitAsync());

        byte[][] lines = await SyntheticReference.LinesAsync(options, 30_000);
        Assert.Equal(SyntheticReference.Count(lines).Top(1000), Ranking(LastBatch(first.Stdout)));
        Assert.InRange(joinedAt, 1, 29_999);
        Assert.Equal(SyntheticReference.Count(lines.Skip((int)joinedAt)).Top(1000), Ranking(LastBatch(second.Stdout)));
    }

    [Fact]
    public async Task Count_FeedKilledMidStream_ReconnectsToTheNewFeedAndCountsExactly()
    {
        int port = FreePort();
        var firstOptions = new SyntheticOptions { Seed = 21, Vocabulary = 400 };
        var secondOptions = new SyntheticOptions { Seed = 22, Vocabulary = 400 };
        await using var feed1 = CliProcess.Start("feed", "--rate", "20000", "--port", $"{port}", "--quiet", "--seed", "21", "--vocabulary", "400");
        await feed1.FeedPortAsync();
        await using var count = CliProcess.Start("count", "--no-dashboard", "--connect", $"127.0.0.1:{port}", "--output", "jsonl", "--interval", "100ms", "--top", "1000");
        await count.WaitForStdoutAsync(@"""total_posts"":[1-9]\d{3,}");

        // SIGKILL: the feed dies mid-stream, most likely with a line cut in two on the wire.
        feed1.KillHard();
        await feed1.WaitForExitAsync();
        await count.WaitForStderrAsync("reconnecting|Cannot reach");
        await using var feed2 = CliProcess.Start("feed", "--limit", "1000", "--port", $"{port}", "--quiet", "--seed", "22", "--vocabulary", "400");
        await count.WaitForStderrAsync("The feed restarted");
        Assert.Equal(0, await feed2.WaitForExitAsync());
        await count.WaitForStdoutAsync(@"""posts"":0,");
        count.Terminate();
        Assert.Equal(0, await count.WaitForExitAsync());

        JsonElement last = LastBatch(count.Stdout);
        int fromFirst = (int)(last.GetProperty("total_posts").GetInt64() - 1000);
        Assert.True(fromFirst > 1000, $"Only {fromFirst} posts were counted from the first feed.");
        byte[][] expected = [.. await SyntheticReference.LinesAsync(firstOptions, fromFirst), .. await SyntheticReference.LinesAsync(secondOptions, 1000)];
        Assert.Equal(SyntheticReference.Count(expected).Top(1000), Ranking(last));
    }

    [Theory]
    [InlineData("feed", "--limit", "-1")]
    [InlineData("feed", "--port", "70000")]
    [InlineData("feed", "--source", "carrier-pigeon")]
    [InlineData("feed", "--source", "replay", "--file", "/no/such/file")]
    [InlineData("feed", "--speed", "fast", "--source", "replay", "--file", "/etc/hostname")]
    [InlineData("count", "--interval", "soon")]
    [InlineData("count", "--connect", "localhost:99999")]
    [InlineData("count", "--output", "xml")]
    [InlineData("gen", "--size", "lots")]
    public async Task Cli_InvalidOption_OneLineOnStderrAndExitCode2(params string[] arguments)
    {
        await using var process = CliProcess.Start(arguments);

        Assert.Equal(2, await process.WaitForExitAsync());
        string[] lines = process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("tagstream ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_PortInUse_SaysWhichPortAndWhichOption()
    {
        using var holder = new Socket(SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        await using var feed = CliProcess.Start("feed", "--port", $"{port}");

        Assert.Equal(1, await feed.WaitForExitAsync());
        Assert.Contains($"Port {port}", feed.Stderr, StringComparison.Ordinal);
        Assert.Contains("--port", feed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_Sigterm_FlushesAndExitsZero()
    {
        await using var feed = CliProcess.Start("feed", "--port", "0", "--rate", "1000", "--quiet");
        int port = await feed.FeedPortAsync();
        await using var count = CliProcess.Start("count", "--no-dashboard", "--connect", $"127.0.0.1:{port}", "--until-eof", "--output", "jsonl", "--interval", "100ms");
        await count.WaitForStdoutAsync(@"""total_posts"":[1-9]");

        feed.Terminate();

        Assert.Equal(0, await feed.WaitForExitAsync());
        Assert.Equal(0, await count.WaitForExitAsync());
        long sent = long.Parse((await feed.WaitForStdoutAsync(@"^Sent ([\d,]+) posts")).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(sent, LastBatch(count.Stdout).GetProperty("total_posts").GetInt64());
    }

    private static JsonElement LastBatch(string jsonLines)
    {
        string last = jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    private static List<(string Tag, long Total)> Ranking(JsonElement batch) =>
        [.. batch.GetProperty("top").EnumerateArray().Select(e => (e.GetProperty("hashtag").GetString()!, e.GetProperty("total").GetInt64()))];

    private static int FreePort()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
