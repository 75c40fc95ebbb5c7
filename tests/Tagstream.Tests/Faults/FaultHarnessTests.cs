using System.Diagnostics;
using System.Text.Json;
using Tagstream.Sources.Synthetic;
using Tagstream.Tests.Cli;
using Tagstream.Tests.Counting;
using Xunit;

namespace Tagstream.Tests.Faults;

/// <summary>
/// Real feed and counter processes, faults injected at chosen and at seeded random moments: kill -9 of either, a hello
/// that reaches the feed late, a paused counter, CPU starvation, a full and a read-only checkpoint disk. Every run ends
/// by comparing the counter's totals with the naive reference of the whole seeded stream: nothing lost, nothing counted
/// twice, or (only where nothing could have kept the posts) one clear line saying so. bench/faults.sh runs more seeds.
/// </summary>
public sealed class FaultHarnessTests
{
    private const int Posts = 40_000;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TimeSpan Long => TimeSpan.FromSeconds(120);

    public static TheoryData<int> Seeds() => [.. SeedsFromEnvironment()];

    [Fact]
    public async Task Count_KilledAfterTheFeedAnsweredAndBeforeItsFirstBatch_LosesNothing()
    {
        await using var run = new FaultRun(seed: 11);
        await run.StartFeedAsync();

        // An interval far longer than the test: the only batch before the kill is the one that makes the start durable.
        await using (CliProcess first = run.StartCounter(["--interval", "1h"]))
        {
            await first.WaitForStdoutAsync("total_posts", Long);
            await Task.Delay(300, Token);
            first.KillHard();
            await first.WaitForExitAsync();
        }

        await run.AssertExactAsync(await run.CountToTheEndAsync());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Feed_KilledMidStreamAndRestartedOnItsLog_UntilEofCounterEndsWithEveryPost(int seed)
    {
        var random = new Random(seed);
        await using var run = new FaultRun(seed, log: true);
        await run.StartFeedAsync();
        await using CliProcess counter = run.StartCounter();
        await counter.WaitForStdoutAsync(@"""total_posts"":[1-9]", Long);
        await Task.Delay(random.Next(0, 400), Token);
        bool killed = await run.KillFeedIfRunningAsync();
        await Task.Delay(random.Next(0, 1500), Token);

        // A counter that took the feed's death for the end of the stream would have exited by now: it must wait.
        Assert.True(!killed || !counter.HasExited, "The counter ended when the feed was killed: " + counter.Stderr);
        await run.StartFeedAsync();
        Assert.Equal(0, await counter.WaitForExitAsync(Long));
        await run.AssertExactAsync(counter);
    }

    [Fact]
    public async Task Feed_KilledWithoutALog_UntilEofCounterGivesUpWithOneLine()
    {
        await using var run = new FaultRun(seed: 12);
        await run.StartFeedAsync();
        await using CliProcess counter = run.StartCounter(["--connect-timeout", "3s"]);
        await counter.WaitForStdoutAsync(@"""total_posts"":[1-9]", Long);
        bool killed = await run.KillFeedIfRunningAsync();

        int code = await counter.WaitForExitAsync(Long);
        if (killed && LastTotal(counter) < Posts)
        {
            Assert.Equal(1, code);
            string[] errors = counter.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^tagstream count: Could not reach the feed at 127\.0\.0\.1:\d+ for \d+ s \(last: connection refused\); giving up\.$", errors[^1]);
            Assert.DoesNotContain("   at ", counter.Stderr, StringComparison.Ordinal);
        }
        else
        {
            // The feed had ended its run before the kill landed: the counter has it all.
            Assert.Equal(0, code);
            await run.AssertExactAsync(counter);
        }
    }

    [Fact]
    public async Task Count_HelloReachesTheFeedAfterPlainLines_CounterReconnectsAndStaysExact()
    {
        await using var run = new FaultRun(seed: 13);
        await run.StartFeedAsync();

        // Every counter goes through the proxy (the checkpoint is bound to the address counted); the restarted counter holds
        // a position, and its first connection's hello reaches the feed only after plain lines.
        await using var proxy = new HelloDelayingProxy(run.Port, connection => connection == 2);
        await using (CliProcess first = run.StartCounter(connectPort: proxy.Port))
        {
            await first.WaitForStdoutAsync(@"""total_posts"":[1-9]", Long);
            first.KillHard();
            await first.WaitForExitAsync();
        }

        await using CliProcess counter = run.StartCounter(connectPort: proxy.Port);
        Assert.Equal(0, await counter.WaitForExitAsync(Long));
        Assert.Equal(1, proxy.Delayed);
        Assert.Contains("sent plain lines instead of answering the resume request", counter.Stderr, StringComparison.Ordinal);
        Assert.Contains("hello came after it had been served as a plain client", run.Feed.Stdout + run.Feed.Stderr, StringComparison.Ordinal);
        await run.AssertExactAsync(counter);
    }

    [Fact]
    public async Task Count_PausedWithSigstopAndContinued_StaysExact()
    {
        await using var run = new FaultRun(seed: 14);
        await run.StartFeedAsync();
        await using CliProcess counter = run.StartCounter();
        await counter.WaitForStdoutAsync(@"""total_posts"":[1-9]", Long);
        counter.Pause();
        await Task.Delay(2000, Token);
        counter.Continue();
        Assert.Equal(0, await counter.WaitForExitAsync(Long));
        await run.AssertExactAsync(counter);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Count_KilledAtRandomMomentsWhileStarvedAtNice10_StaysExact(int seed)
    {
        var random = new Random(seed);
        await using var run = new FaultRun(seed, log: true);
        using var starvation = CpuStarvation.Start();
        await run.StartFeedAsync();

        // The first counter makes its start durable; every later one holds a position, so even a kill between its
        // connect and its hello (early kills below) or a hello that comes late must leave the totals exact.
        await using (CliProcess first = run.StartCounter(niceness: 10))
        {
            await first.WaitForStdoutAsync("total_posts", Long);
            first.KillHard();
            await first.WaitForExitAsync();
        }

        for (int kill = 0; kill < 4; kill++)
        {
            await using CliProcess counter = run.StartCounter(niceness: 10);
            Task<int> exit = counter.WaitForExitAsync(Long);
            if (await Task.WhenAny(exit, Task.Delay(random.Next(0, 2500), Token)) == exit)
            {
                break;
            }

            counter.KillHard();
            await exit;
            await run.RestartFeedIfItEndedAsync();
        }

        await run.AssertExactAsync(await run.CountToTheEndAsync(niceness: 10));
        TestContext.Current.TestOutputHelper?.WriteLine($"starvation: {starvation.Description}");
    }

    [Fact]
    public async Task Count_CheckpointDiskFillsOrTurnsReadOnly_StopsWithOneLineAndTheFolderResumesExactly()
    {
        await using var run = new FaultRun(seed: 15);
        await run.StartFeedAsync();
        if (!SmallDisk.CanMount())
        {
            // Not root: no tmpfs can be mounted. The same stop is still shown, on a folder the counter cannot write to.
            TestContext.Current.TestOutputHelper?.WriteLine("Not root: the full and read-only disk cases need a tmpfs mount; ran the deleted-folder case instead.");
        }

        foreach (string fault in SmallDisk.CanMount() ? new[] { "full", "read-only" } : ["deleted"])
        {
            using var disk = SmallDisk.CanMount() ? SmallDisk.Mount(fault == "full" ? "160k" : "8m") : null;
            string folder = disk?.Path ?? Path.Combine(run.Scratch, "deleted-" + Guid.NewGuid().ToString("N"));
            await using CliProcess counter = run.StartCounter(["--checkpoint", folder]);
            await counter.WaitForStdoutAsync(@"""total_posts"":[1-9]", Long);
            switch (fault)
            {
                case "read-only":
                    disk!.MakeReadOnly();
                    break;
                case "deleted":
                    Directory.Delete(folder, recursive: true);
                    break;
            }

            int code = await counter.WaitForExitAsync(Long);
            if (code == 0)
            {
                // The run ended before the fault bit (a fast machine): the totals must still be exact.
                await run.AssertExactAsync(counter);
                return;
            }

            Assert.Equal(1, code);
            string[] errors = counter.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("tagstream count: ", errors[^1], StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", counter.Stderr, StringComparison.Ordinal);
            if (disk is not null)
            {
                // What the folder committed is a consistent prefix: moved to a roomy disk, it resumes to exact totals.
                string moved = Path.Combine(run.Scratch, "moved-" + fault);
                CopyFolder(folder, moved);
                await run.AssertExactAsync(await run.CountToTheEndAsync(["--checkpoint", moved]));
                return;
            }
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from).Where(f => Path.GetFileName(f) != "LOCK"))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static long LastTotal(CliProcess counter)
    {
        string[] lines = counter.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? 0 : JsonDocument.Parse(lines[^1]).RootElement.GetProperty("total_posts").GetInt64();
    }

    private static IEnumerable<int> SeedsFromEnvironment()
    {
        // bench/faults.sh sets TAGSTREAM_FAULT_SEEDS=20 (or more); CI runs two.
        int count = int.TryParse(Environment.GetEnvironmentVariable("TAGSTREAM_FAULT_SEEDS"), out int n) && n > 0 ? n : 2;
        return Enumerable.Range(1, count);
    }

    /// <summary>One feed on a fixed port (so it can be restarted there), its log and the counters' checkpoint folder.</summary>
    private sealed class FaultRun : IAsyncDisposable
    {
        private readonly int _seed;
        private readonly bool _log;
        private readonly List<CliProcess> _counters = [];
        private CliProcess? _feed;

        public FaultRun(int seed, bool log = false)
        {
            _seed = seed;
            _log = log;
            Scratch = Directory.CreateTempSubdirectory("tagstream-faults-").FullName;
        }

        public string Scratch { get; }

        public int Port { get; private set; }

        public CliProcess Feed => _feed!;

        private string Checkpoint => Path.Combine(Scratch, "checkpoint");

        public async Task StartFeedAsync()
        {
            if (_feed is not null)
            {
                await _feed.DisposeAsync();
            }

            string[] args =
            [
                "feed", "--limit", $"{Posts}", "--rate", "20000", "--quiet", "--seed", $"{_seed}", "--vocabulary", "2000",
                "--port", $"{Port}", .. _log ? new[] { "--log", Path.Combine(Scratch, "log") } : [],
            ];
            _feed = CliProcess.Start(args);
            Port = await _feed.FeedPortAsync();
        }

        /// <summary>Kills the feed unless its run already ended; true when it was killed.</summary>
        public async Task<bool> KillFeedIfRunningAsync()
        {
            bool running = !_feed!.HasExited;
            _feed.KillHard();
            await _feed.WaitForExitAsync();
            return running;
        }

        /// <summary>A feed with a log whose run ended is restarted on it, so that a counter that missed the end can finish.</summary>
        public async Task RestartFeedIfItEndedAsync()
        {
            if (_feed!.HasExited)
            {
                Assert.Equal(0, await _feed.WaitForExitAsync());
                await StartFeedAsync();
            }
        }

        public CliProcess StartCounter(string[]? extra = null, int niceness = 0, int? connectPort = null)
        {
            extra ??= [];
            string[] args =
            [
                "count", "--connect", $"127.0.0.1:{connectPort ?? Port}", "--until-eof", "--output", "jsonl", "--top", "5000",
                "--no-dashboard", .. extra.Contains("--interval") ? [] : new[] { "--interval", "50ms" },
                .. extra.Contains("--checkpoint") ? [] : new[] { "--checkpoint", Checkpoint }, .. extra,
            ];
            CliProcess counter = niceness == 0 ? CliProcess.Start(args) : CliProcess.StartNiced(niceness, args);
            _counters.Add(counter);
            return counter;
        }

        /// <summary>Runs a counter on the checkpoint until the feed's run ends, restarting the feed on its log if needed.</summary>
        public async Task<CliProcess> CountToTheEndAsync(string[]? extra = null, int niceness = 0)
        {
            await RestartFeedIfItEndedAsync();
            CliProcess counter = StartCounter(extra, niceness);
            int code = await counter.WaitForExitAsync(Long);
            Assert.True(code == 0, $"The counter exited with {code}: {counter.Stderr}");
            return counter;
        }

        /// <summary>The counter's last batch holds the reference's totals of the whole run.</summary>
        public async Task AssertExactAsync(CliProcess counter)
        {
            try
            {
                var options = new SyntheticOptions { Seed = (ulong)_seed, Vocabulary = 2000 };
                NaiveReference reference = SyntheticReference.Count(await SyntheticReference.LinesAsync(options, Posts));
                JsonElement last = JsonDocument.Parse(counter.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
                Assert.True(
                    last.GetProperty("total_posts").GetInt64() == Posts,
                    $"{Posts - last.GetProperty("total_posts").GetInt64()} posts lost (negative: doubled); the counters said: {History()}");
                Assert.Equal(reference.Tags, last.GetProperty("total_tags").GetInt64());
                Assert.Equal(
                    reference.Top(5000),
                    [.. last.GetProperty("top").EnumerateArray().Select(e => (e.GetProperty("hashtag").GetString()!, e.GetProperty("total").GetInt64()))]);
            }
            finally
            {
                await counter.DisposeAsync();
            }
        }

        /// <summary>Every counter's standard error and last output line, in order, for a failure's message.</summary>
        private string History() => string.Join(
            "\n---\n",
            _counters.Select(c => c.Stderr + (c.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries) is [.., var last] ? last[..Math.Min(last.Length, 160)] : "")));

        public async ValueTask DisposeAsync()
        {
            if (_feed is not null)
            {
                await _feed.DisposeAsync();
            }

            try
            {
                Directory.Delete(Scratch, recursive: true);
            }
            catch (IOException)
            {
                // A tmpfs still mounted under it is unmounted by its owner; the rest is left to the system.
            }
        }
    }
}
