using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Tagstream.Sources;
using Tagstream.Sources.Synthetic;
using Tagstream.Tests.Cli;
using Tagstream.Tests.Counting;
using Tagstream.Tests.Sources.Live;
using Tagstream.Tests.Sources.Live.Bluesky;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Examples;

/// <summary>
/// Every file of <c>examples/</c> compiled and run with <c>dotnet run</c> against a local seeded feed, with a bounded
/// run, and its output checked against the naive reference, so the examples cannot rot. One class: the examples
/// run one after another (each compiles into the SDK's file-based app cache).
/// </summary>
public sealed partial class ExampleTests
{
    private static readonly Dictionary<string, string?> FastBatches = new() { ["TAGSTREAM_EXAMPLE_INTERVAL"] = "0.5" };

    [Fact]
    public async Task HashtagSummarizer_BoundedRun_PrintsTimeAndTheReferenceTop20UntilTheFeedCloses()
    {
        // 3000 posts at 1000/s: the feed runs for about 3 s, so several 0.5 s batches close before it ends.
        await using LocalFeed feed = await LocalFeed.StartAsync(posts: 3000, rate: 1000);
        var environment = new Dictionary<string, string?>(FastBatches) { ["TAGSTREAM_EXAMPLE_BATCHES"] = "1000" };

        string output = await ExampleApp.RunAsync("hashtag_summarizer.cs", environment, feed.Address);

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int[] times = [.. lines.Index().Where(l => l.Item.StartsWith("TIME: ", StringComparison.Ordinal)).Select(l => l.Index)];
        Assert.True(times.Length >= 2, output);
        Assert.All(times, i => Assert.Matches(TimeLine(), lines[i]));
        Assert.Equal(Expected(feed.Reference, 20), ParseChart(lines[(times[^1] + 1)..]));
        Assert.Equal(3000, await feed.CompletionAsync());
    }

    [Fact]
    public async Task HashtagSummarizer_BatchLimit_StopsAfterThatManyBatches()
    {
        // A feed that outlasts the run: the example stops on its own after 2 batches (and the last, closing one).
        await using LocalFeed feed = await LocalFeed.StartAsync(posts: 1_000_000, rate: 200);
        var environment = new Dictionary<string, string?>(FastBatches) { ["TAGSTREAM_EXAMPLE_BATCHES"] = "2" };

        string output = await ExampleApp.RunAsync("hashtag_summarizer.cs", environment, feed.Address);

        int batches = output.Split('\n').Count(l => l.StartsWith("TIME: ", StringComparison.Ordinal));
        Assert.InRange(batches, 2, 3);
    }

    [Fact]
    public async Task TweetStream_SyntheticSource_WaitsForAClientThenSendsAndPrintsEveryPostUpToTheLimit()
    {
        await using CliProcess app = ExampleApp.Start("tweet_stream.cs", null, "300", "football", "--port", "0", "--rate", "3000");
        int port = int.Parse((await app.WaitForStdoutAsync(@"^Waiting for connection on 127\.0\.0\.1:(\d+)$", ExampleApp.Timeout)).Groups[1].Value, CultureInfo.InvariantCulture);

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        using var received = new MemoryStream();
        await client.GetStream().CopyToAsync(received, TestContext.Current.CancellationToken);

        Assert.Equal(0, await app.WaitForExitAsync());
        byte[][] expected = await SyntheticReference.LinesAsync(new SyntheticOptions { Terms = ["football"] }, 300);
        Assert.Equal(expected.SelectMany(l => l), received.ToArray());
        string[] output = app.Stdout.Split('\n');
        Assert.Contains(output, l => l.StartsWith("Connection received from 127.0.0.1:", StringComparison.Ordinal));
        Assert.Equal(300, output.Count(l => ScreenName().IsMatch(l)));
        string[] printedTags = [.. output.Where(l => l.StartsWith("   Hashtags: ", StringComparison.Ordinal)).Select(l => l["   Hashtags: ".Length..])];
        Assert.Equal(expected.Select(l => System.Text.Encoding.UTF8.GetString(l).TrimEnd('\n')), printedTags);
        Assert.Contains("Sent 300 posts; connections closed.", output);
    }

    [Fact]
    public async Task TweetStream_NoLimit_PrintsUsageAndExits2()
    {
        await using CliProcess app = ExampleApp.Start("tweet_stream.cs", null, "football");

        Assert.Equal(2, await app.WaitForExitAsync(ExampleApp.Timeout));
        Assert.StartsWith("usage: tweet_stream.cs LIMIT", app.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountFile_ProtocolLines_PrintsTheReferenceTotalsAndTop20()
    {
        using var folder = new TempDirectory();
        string file = Path.Combine(folder.Path, "posts.txt");
        byte[][] lines = await SyntheticReference.LinesAsync(new SyntheticOptions { Seed = 7, Vocabulary = 500 }, 5000);
        await File.WriteAllBytesAsync(file, [.. lines.SelectMany(l => l)], TestContext.Current.CancellationToken);
        NaiveReference reference = SyntheticReference.Count(lines);

        string output = await ExampleApp.RunAsync("count_file.cs", null, file, "protocol");

        string[] printed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"5000 posts, {reference.Tags} hashtags, {reference.Totals.Count} distinct, 0 malformed", printed[0]);
        Assert.Equal(Expected(reference, 20), ParseChart(printed[1..]));
    }

    [Fact]
    public async Task Top10Csv_FeedUntilItCloses_WritesEachBatchTop10AndTheLastEqualsTheReference()
    {
        await using LocalFeed feed = await LocalFeed.StartAsync(posts: 2000, rate: 1000);
        using var folder = new TempDirectory();
        string csv = Path.Combine(folder.Path, "top10.csv");

        string output = await ExampleApp.RunAsync("top10_csv.cs", FastBatches, csv, feed.Address);

        string[] rows = await File.ReadAllLinesAsync(csv, TestContext.Current.CancellationToken);
        Assert.Equal("batch,time,rank,hashtag,total", rows[0]);
        var parsed = rows[1..].Select(r => r.Split(',')).Select(f => (Batch: long.Parse(f[0], CultureInfo.InvariantCulture), Time: f[1], Rank: int.Parse(f[2], CultureInfo.InvariantCulture), Tag: f[3], Total: long.Parse(f[4], CultureInfo.InvariantCulture))).ToList();
        var batches = parsed.GroupBy(r => r.Batch).ToList();
        Assert.Equal(Enumerable.Range(1, batches.Count).Select(b => (long)b), batches.Select(b => b.Key));
        Assert.All(batches, b => Assert.Equal(Enumerable.Range(1, b.Count()), b.Select(r => r.Rank)));
        Assert.All(parsed, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", r.Time));
        Assert.Equal(Expected(feed.Reference, 10), batches[^1].Select(r => $"{r.Tag} {r.Total}"));
        Assert.Contains($"{batches.Count} batches written to {csv}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlueskyTrending_LocalJetstream_RanksTheWindowsHashtags()
    {
        // A fake Jetstream on loopback sends 40 posts: #rising in 24 of them, #steady in 10, #rare in 5 (and one
        // cashtag-free post without tags); the example stops after those 40 posts. Nothing precedes the window, so
        // the expected counts are 0 and the score, (count + 10) / 10, orders by window count.
        string[] posts = [.. Enumerable.Range(0, 40).Select(i => JetstreamFakeServer.Post(1_783_175_888_000_000 + i, TextOf(i), TagsOf(i)))];
        var jetstream = new JetstreamFakeServer(posts);
        jetstream.ThenReplay(posts.Length, JetstreamFakeServer.StayOpenAsync);
        await using FakeServer server = await FakeServer.StartAsync(jetstream.HandleAsync);
        var environment = new Dictionary<string, string?>(FastBatches) { ["TAGSTREAM_EXAMPLE_POSTS"] = "40" };

        string output = await ExampleApp.RunAsync("bluesky_trending.cs", environment, "--jetstream-url", new Uri(server.WebSocketUri, "subscribe").ToString());

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int last = Array.FindLastIndex(lines, l => l.StartsWith("TIME: ", StringComparison.Ordinal));
        Assert.EndsWith("(40 posts)", lines[last], StringComparison.Ordinal);
        Assert.Equal(
            [" 1 rising score 3.40 window 24 total 24", " 2 steady score 2.00 window 10 total 10", " 3 rare score 1.50 window 5 total 5"],
            lines[(last + 1)..]);

        static string[] TagsOf(int i) => i == 39 ? [] : i % 8 == 0 ? ["rare"] : i % 4 == 0 || i % 8 == 2 ? ["steady"] : ["rising"];
        static string TextOf(int i) => string.Concat(TagsOf(i).Select(t => $"post {i} #{t} "));
    }

    private static string[] Expected(NaiveReference reference, int n) => [.. reference.Top(n).Select(e => $"{e.Tag} {e.Total}")];

    // "RANK HASHTAG [BAR] TOTAL" lines, rank ascending from 1, until the first line that is not one.
    private static string[] ParseChart(string[] lines)
    {
        var entries = new List<string>();
        foreach (string line in lines)
        {
            Match row = ChartRow().Match(line);
            if (!row.Success || int.Parse(row.Groups["rank"].Value, CultureInfo.InvariantCulture) != entries.Count + 1)
            {
                break;
            }

            entries.Add($"{row.Groups["tag"].Value} {row.Groups["total"].Value}");
        }

        return [.. entries];
    }

    [GeneratedRegex(@"^TIME: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")]
    private static partial Regex TimeLine();

    [GeneratedRegex(@"^\s*(?<rank>\d+) (?<tag>\S+) +(#+ )?(?<total>\d+)$")]
    private static partial Regex ChartRow();

    [GeneratedRegex(@"^Screen name: [^:]+:$")]
    private static partial Regex ScreenName();
}
