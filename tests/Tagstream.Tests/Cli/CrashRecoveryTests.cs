using System.Text.Json;
using Tagstream.Sources.Synthetic;
using Tagstream.Tests.Counting;
using Xunit;

namespace Tagstream.Tests.Cli;

/// <summary>The counter killed with SIGKILL at random moments and restarted on its checkpoint: no post lost, none counted twice.</summary>
public sealed class CrashRecoveryTests
{
    public static TheoryData<int> Seeds() => [1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Count_KilledAtRandomMomentsAndRestarted_FinalTotalsEqualTheReference(int seed)
    {
        var (last, reference) = await CountWithKillsAsync(seed, ["--interval", "50ms"]);

        Assert.Equal(reference.Tags, last.GetProperty("total_tags").GetInt64());
        Assert.Equal(reference.Top(5000), Ranking(last, "top", "total"));
    }

    /// <summary>
    /// The batches a counter closes depend on timing, so a window's content at a given batch cannot be predicted from the
    /// outside; a window longer than the whole run must, however, hold every batch ever committed: its counts equal the
    /// all-time totals, and trending (nothing before the window, so every expectation is 0) ranks by them. A window
    /// that restarted empty after a kill would hold less.
    /// </summary>
    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public async Task Count_KilledWithAWindowLongerThanTheRun_WindowAndTrendingHoldEveryBatch(int seed)
    {
        // 6000 batches of 100 ms: far more than the run closes, even on a slow machine.
        var (last, reference) = await CountWithKillsAsync(seed, ["--interval", "100ms", "--window", "10m", "--trending"]);

        var expected = reference.Top(5000);
        Assert.Equal(expected, Ranking(last, "window", "total"));
        var trending = last.GetProperty("trending").EnumerateArray().ToList();
        Assert.Equal(
            expected.Where(e => e.Total >= 5),
            trending.Select(e => (e.GetProperty("hashtag").GetString()!, e.GetProperty("window_count").GetInt64())));
        Assert.All(trending, e => Assert.Equal(e.GetProperty("window_count").GetInt64(), e.GetProperty("total").GetInt64()));
        Assert.All(trending, e => Assert.Equal(0, e.GetProperty("expected").GetDouble()));
    }

    private static async Task<(JsonElement Last, NaiveReference Reference)> CountWithKillsAsync(int seed, string[] batching)
    {
        const int Posts = 60_000;
        const int MaxKills = 6;
        var random = new Random(seed);
        string checkpoint = Path.Combine(Path.GetTempPath(), $"tagstream-crash-{Guid.NewGuid():N}");
        string feedLog = checkpoint + "-log";
        var options = new SyntheticOptions { Seed = (ulong)seed, Vocabulary = 2000 };
        CliProcess? feed = null;
        try
        {
            // The feed keeps a log: a paced feed catches up after a pause, so it may send its last line and exit while the
            // counter it sent it to is being killed; restarted on its log, it serves the run's end again (docs/protocol.md).
            string[] feedArgs = ["feed", "--limit", $"{Posts}", "--rate", "10000", "--quiet", "--seed", $"{seed}", "--vocabulary", "2000", "--log", feedLog];
            feed = CliProcess.Start([.. feedArgs, "--port", "0"]);
            int port = await feed.FeedPortAsync();
            string[] countArgs = ["count", "--connect", $"127.0.0.1:{port}", "--until-eof", "--output", "jsonl", .. batching, "--top", "5000", "--checkpoint", checkpoint, "--no-dashboard"];
            int kills = 0;
            string finalOutput;
            var log = new System.Text.StringBuilder();
            while (true)
            {
                await using CliProcess counter = CliProcess.Start(countArgs);
                Task<int> exit = counter.WaitForExitAsync(TimeSpan.FromSeconds(120));
                bool killNow = kills < MaxKills;
                if (killNow)
                {
                    // Kill only once the counter is counting (on a loaded machine starting alone can take seconds), at
                    // a random moment of its work: mid-batch, mid-commit or mid-read.
                    Task counting = counter.WaitForStdoutAsync("total_posts", TimeSpan.FromSeconds(60));
                    killNow = await Task.WhenAny(exit, counting) != exit
                        && await Task.WhenAny(exit, Task.Delay(random.Next(0, 700), TestContext.Current.CancellationToken)) != exit
                        && LastTotal(counter.Stdout) < Posts * 8 / 10;
                }

                if (!killNow)
                {
                    int code = await exit;
                    Assert.True(code == 0, $"The last counter exited with {code}: {log}{counter.Stderr}");
                    finalOutput = counter.Stdout;
                    break;
                }

                // Only while the feed still has a fifth of its posts to send: a counter killed after the feed has sent
                // its last line and left cannot get the lines it had not committed from anywhere.
                counter.KillHard();
                await exit;
                kills++;
                log.Append("killed: ").AppendLine(counter.Stderr);
                if (feed.HasExited)
                {
                    Assert.Equal(0, await feed.WaitForExitAsync());
                    await feed.DisposeAsync();
                    feed = CliProcess.Start([.. feedArgs, "--port", $"{port}"]);
                    await feed.WaitForStdoutAsync("^Waiting for connection", TimeSpan.FromSeconds(60));
                    log.AppendLine("feed restarted on its log");
                }
            }

            Assert.Equal(0, await feed.WaitForExitAsync());
            Assert.True(kills > 0, "The counter was never killed: the test proved nothing.");

            var reference = SyntheticReference.Count(await SyntheticReference.LinesAsync(options, Posts));
            JsonElement last = JsonDocument.Parse(finalOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
            Assert.Equal(Posts, last.GetProperty("total_posts").GetInt64());
            return (last.Clone(), reference);
        }
        finally
        {
            if (feed is not null)
            {
                await feed.DisposeAsync();
            }

            foreach (string folder in new[] { checkpoint, feedLog }.Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static List<(string, long)> Ranking(JsonElement batch, string name, string count) =>
        [.. batch.GetProperty(name).EnumerateArray().Select(e => (e.GetProperty("hashtag").GetString()!, e.GetProperty(count).GetInt64()))];

    private static long LastTotal(string jsonLines)
    {
        string[] lines = jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? 0 : JsonDocument.Parse(lines[^1]).RootElement.GetProperty("total_posts").GetInt64();
    }
}
