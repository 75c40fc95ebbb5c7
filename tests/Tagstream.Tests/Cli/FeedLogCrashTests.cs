using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tagstream.Sources.Synthetic;
using Xunit;

namespace Tagstream.Tests.Cli;

/// <summary>
/// The feed killed with SIGKILL mid-stream and restarted on its <c>--log</c>: the counter's (run, line) stays valid, so
/// it ends with the reference's totals for the whole seeded stream, never counting a post twice or missing one.
/// </summary>
public sealed class FeedLogCrashTests
{
    private const int Posts = 60_000;

    public static TheoryData<int> Seeds() => [1, 2];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Feed_KilledMidStreamAndRestartedOnItsLog_CounterConnectedThroughoutCountsExactly(int seed)
    {
        var random = new Random(seed);
        using var folders = new Folders();
        int port = FreePort();
        string[] feedArgs = FeedArgs(seed, port, folders.Log);
        CliProcess feed = await StartFeedAsync(feedArgs);
        try
        {
            await using CliProcess counter = CliProcess.Start(CountArgs(port, folders.Checkpoint));
            await counter.WaitForStdoutAsync(@"""total_posts"":[1-9]", TimeSpan.FromSeconds(60));
            int kills = 0;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                await Task.Delay(random.Next(100, 1200), TestContext.Current.CancellationToken);
                if (feed.HasExited || LastTotal(counter.Stdout) >= Posts)
                {
                    break;
                }

                feed.KillHard();
                await feed.WaitForExitAsync();
                await feed.DisposeAsync();
                kills++;
                await Task.Delay(random.Next(0, 500), TestContext.Current.CancellationToken);
                feed = await StartFeedAsync(feedArgs);
                Assert.Matches("(?m)^Feed log .*: continuing run", feed.Stdout);
            }

            Assert.True(kills > 0, "The feed was never killed mid-stream: the test proved nothing.");
            await counter.WaitForStdoutAsync($@"""total_posts"":{Posts},", TimeSpan.FromSeconds(120));
            Assert.True(await feed.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, "The restarted feed failed: " + feed.Stderr);

            // Its exit code is not checked: a SIGTERM that lands while the counter's reconnect attempt is refused (the
            // feed is gone) surfaces as "Connection refused" and exit code 1 (FeedSocketSource), which is not this test's
            // subject. Its last batch, printed before, is.
            counter.Terminate();
            await counter.WaitForExitAsync();

            await AssertExactAsync(seed, counter.Stdout);
            Assert.DoesNotContain("missing", counter.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await feed.DisposeAsync();
        }
    }

    /// <param name="seed">The stream's seed.</param>
    /// <param name="counterFirst">
    /// Kill the counter first, then the feed: the counter's checkpoint then lags the log's end, so the restarted feed
    /// (whose ring is empty) serves it from the log.
    /// </param>
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public async Task Counter_KilledWhileTheFeedIsDown_BothRestartedCountExactly(int seed, bool counterFirst)
    {
        var random = new Random(seed);
        using var folders = new Folders();
        int port = FreePort();
        string[] feedArgs = FeedArgs(seed, port, folders.Log);
        string[] countArgs = CountArgs(port, folders.Checkpoint);
        await using (CliProcess feed = await StartFeedAsync(feedArgs))
        await using (CliProcess counter = CliProcess.Start(countArgs))
        {
            await counter.WaitForStdoutAsync(@"""total_posts"":[1-9]", TimeSpan.FromSeconds(60));
            await Task.Delay(random.Next(100, 1500), TestContext.Current.CancellationToken);
            Assert.False(feed.HasExited, "The feed ended before it could be killed mid-stream.");
            CliProcess firstKilled = counterFirst ? counter : feed;
            CliProcess secondKilled = counterFirst ? feed : counter;
            firstKilled.KillHard();
            await firstKilled.WaitForExitAsync();
            await Task.Delay(random.Next(0, 300), TestContext.Current.CancellationToken);
            secondKilled.KillHard();
            await secondKilled.WaitForExitAsync();
        }

        await using CliProcess restartedFeed = await StartFeedAsync(feedArgs);
        Assert.Matches("(?m)^Feed log .*: continuing run", restartedFeed.Stdout);
        // Restarted, the counter ends with the feed (--until-eof), so both must exit cleanly.
        await using CliProcess restartedCounter = CliProcess.Start([.. countArgs, "--until-eof"]);
        Assert.True(await restartedFeed.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, "The restarted feed failed: " + restartedFeed.Stderr);
        Assert.True(await restartedCounter.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, "The counter failed: " + restartedCounter.Stderr);

        await AssertExactAsync(seed, restartedCounter.Stdout);
        Assert.DoesNotContain("missing", restartedCounter.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_RestartedWithALargerLimit_SendsTheNextPostsOfTheStreamUnderTheNextLineNumbers()
    {
        using var folders = new Folders();
        var options = new SyntheticOptions { Seed = 9, Vocabulary = 300 };
        string[] first = ["feed", "--limit", "1000", "--rate", "4000", "--port", "0", "--quiet", "--seed", "9", "--vocabulary", "300", "--log", folders.Log];
        string run;
        await using (CliProcess feed = CliProcess.Start(first))
        {
            run = (await feed.WaitForStdoutAsync(@"^Feed log .*: new run (\S+)\.$")).Groups[1].Value;
            int port = await feed.FeedPortAsync();
            string all = await ReadFeedAsync(port, "TAGSTREAM/1 START");
            Assert.Equal(1001, all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal(0, await feed.WaitForExitAsync());
        }

        await using CliProcess longer = CliProcess.Start([.. first[..2], "1500", .. first[3..]]);
        await longer.WaitForStdoutAsync($"^Feed log .*: continuing run {run} at line 1000 ");
        string rest = await ReadFeedAsync(await longer.FeedPortAsync(), $"TAGSTREAM/1 RESUME run={run} line=990");
        Assert.Equal(0, await longer.WaitForExitAsync());

        byte[][] reference = await SyntheticReference.LinesAsync(options, 1500);
        string expected = $"TAGSTREAM/1 OK run={run} line=990 missing=0\n" + string.Concat(reference.Skip(990).Select(Encoding.UTF8.GetString));
        Assert.Equal(expected, rest);
    }

    [Fact]
    public async Task Feed_LogProblems_OneLineAndExitCode2()
    {
        using var folders = new Folders();
        string file = Path.Combine(folders.Checkpoint + "-file");
        await File.WriteAllTextAsync(file, "not a folder", TestContext.Current.CancellationToken);
        try
        {
            await AssertRefusedAsync("Cannot create the feed log folder", "feed", "--port", "0", "--log", Path.Combine(file, "log"));

            await using (CliProcess holder = CliProcess.Start("feed", "--port", "0", "--seed", "1", "--log", folders.Log))
            {
                await holder.FeedPortAsync();
                await AssertRefusedAsync("in use by another Tagstream feed", "feed", "--port", "0", "--seed", "1", "--log", folders.Log);
                holder.Terminate();
                Assert.Equal(0, await holder.WaitForExitAsync());
            }

            await AssertRefusedAsync("records another source (synthetic seed=1 ", "feed", "--port", "0", "--seed", "2", "--log", folders.Log);

            string segment = Assert.Single(Directory.GetFiles(folders.Log, "*.seg"));
            byte[] bytes = await File.ReadAllBytesAsync(segment, TestContext.Current.CancellationToken);
            bytes[4] = 9;
            await File.WriteAllBytesAsync(segment, bytes, TestContext.Current.CancellationToken);
            await AssertRefusedAsync("format version 9", "feed", "--port", "0", "--seed", "1", "--log", folders.Log);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task AssertRefusedAsync(string expected, params string[] arguments)
    {
        await using CliProcess process = CliProcess.Start(arguments);
        Assert.Equal(2, await process.WaitForExitAsync());
        string line = Assert.Single(process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("tagstream feed: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    private static string[] FeedArgs(int seed, int port, string log) =>
        ["feed", "--limit", $"{Posts}", "--rate", "10000", "--port", $"{port}", "--quiet", "--seed", $"{seed}", "--vocabulary", "2000", "--log", log];

    private static string[] CountArgs(int port, string checkpoint) =>
        ["count", "--connect", $"127.0.0.1:{port}", "--output", "jsonl", "--interval", "50ms", "--top", "5000", "--checkpoint", checkpoint, "--no-dashboard"];

    private static async Task<CliProcess> StartFeedAsync(string[] arguments)
    {
        CliProcess feed = CliProcess.Start(arguments);
        await feed.WaitForStdoutAsync("^Waiting for connection on ");
        return feed;
    }

    private static async Task AssertExactAsync(int seed, string jsonLines)
    {
        var reference = SyntheticReference.Count(await SyntheticReference.LinesAsync(new SyntheticOptions { Seed = (ulong)seed, Vocabulary = 2000 }, Posts));
        JsonElement last = JsonDocument.Parse(jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal(Posts, last.GetProperty("total_posts").GetInt64());
        Assert.Equal(reference.Tags, last.GetProperty("total_tags").GetInt64());
        Assert.Equal(
            reference.Top(5000),
            [.. last.GetProperty("top").EnumerateArray().Select(e => (e.GetProperty("hashtag").GetString()!, e.GetProperty("total").GetInt64()))]);
    }

    private static async Task<string> ReadFeedAsync(int port, string hello)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(hello + "\n"), TestContext.Current.CancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    private static long LastTotal(string jsonLines)
    {
        string[] lines = jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? 0 : JsonDocument.Parse(lines[^1]).RootElement.GetProperty("total_posts").GetInt64();
    }

    // The restarted feed must bind the same port again, so it is taken below Linux's ephemeral range (32768 and up):
    // there no other test's port 0 or outgoing connection can take it while the feed is down.
    private static int FreePort()
    {
        var random = new Random();
        while (true)
        {
            int port = random.Next(20_000, 32_000);
            using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
    }

    private sealed class Folders : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("tagstream-feedlog-").FullName;

        public string Log => Path.Combine(_root, "log");

        public string Checkpoint => Path.Combine(_root, "checkpoint");

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }
}
