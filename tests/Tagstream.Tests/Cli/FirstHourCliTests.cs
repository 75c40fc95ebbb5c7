using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Tagstream.Tests.Cli;

/// <summary>What a new user meets in the first hour: mistyped commands and values, pipes into <c>head</c>.</summary>
public sealed class FirstHourCliTests
{
    [Theory]
    [InlineData("tagstream feed: --limit: 'abc' is not a whole number", "feed", "--limit", "abc")]
    [InlineData("tagstream feed: --seed: '-1' is not a whole number of 0 or more", "feed", "--seed", "-1")]
    [InlineData("tagstream count: --top: 'ten' is not a whole number", "count", "--top", "ten")]
    [InlineData("tagstream demo: --rate: 'fast' is not a number", "demo", "--rate", "fast")]
    [InlineData("tagstream: unknown command 'cuont'; did you mean 'count'?", "cuont")]
    [InlineData("tagstream: unknown command 'fed'; did you mean 'feed'?", "fed")]
    [InlineData("tagstream: unknown command 'frobnicate'", "frobnicate")]
    [InlineData("tagstream count: unknown option '--intervall'; did you mean '--interval'?", "count", "--intervall", "1s")]
    [InlineData("tagstream demo: unknown option '--no-checkpoint'", "demo", "--no-checkpoint")]
    [InlineData("tagstream count: --window: '5' needs a unit: 5s, 5m, 5ms or 5h.", "count", "--window", "5")]
    [InlineData("tagstream count: --interval: '10' needs a unit: 10s, 10m, 10ms or 10h.", "count", "--interval", "10")]
    [InlineData("tagstream count: --window 25s must be a whole number of --interval 10s batches.", "count", "--window", "25s")]
    public async Task Cli_BadCommandLine_SaysWhatIsWrongInTheUsersWords(string expected, params string[] arguments)
    {
        await using var process = CliProcess.Start(arguments);

        Assert.Equal(2, await process.WaitForExitAsync());
        string[] lines = process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("System.", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gen_PipedIntoHeadOfOneLine_EndsAsSoonAsHeadHasGone()
    {
        // 100G would take many minutes to write: the bound is far from both that and the second or two it takes now.
        await using var pipeline = Pipeline("gen --size 100G | head -1");

        Assert.Equal(0, await pipeline.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.Single(pipeline.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", pipeline.Stderr.Trim());
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("text")]
    public async Task Count_PipedIntoHead_EndsQuietlyWhenHeadHasGone(string output)
    {
        await using var pipeline = Pipeline($"count --source synthetic --no-checkpoint --no-dashboard --interval 50ms --output {output} | head -2");

        Assert.Equal(0, await pipeline.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.Equal(2, pipeline.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("", pipeline.Stderr.Trim());
    }

    [Fact]
    public async Task Count_DefaultDashboardPortBusy_MovesOnToTheNextFreePortAndSaysWhich()
    {
        using Socket holder = Occupy(out int busy);
        var environment = new Dictionary<string, string?> { ["TAGSTREAM_DASHBOARD_URL"] = $"http://127.0.0.1:{busy}" };
        await using var count = CliProcess.StartWith(environment,
            "count", "--source", "synthetic", "--rate", "200", "--no-checkpoint", "--output", "jsonl", "--interval", "200ms");

        var moved = await count.WaitForStderrAsync(@"^Dashboard: port (\d+) is in use, moved on to (\d+)\.$");
        var address = await count.WaitForStderrAsync(@"^Dashboard: (http://127\.0\.0\.1:(\d+)/)$");
        using var http = new HttpClient();
        using HttpResponseMessage page = await http.GetAsync(new Uri(address.Groups[1].Value), TestContext.Current.CancellationToken);
        count.Terminate();

        Assert.Equal(busy, int.Parse(moved.Groups[1].Value, CultureInfo.InvariantCulture));
        int used = int.Parse(moved.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(used, busy + 1, busy + 15);
        Assert.Equal(used, int.Parse(address.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(page.IsSuccessStatusCode);
        Assert.Equal(0, await count.WaitForExitAsync());
    }

    [Fact]
    public async Task Count_ChosenDashboardPortBusy_FailsWithOneLine()
    {
        using Socket holder = Occupy(out int busy);

        await using var count = CliProcess.Start(
            "count", "--source", "synthetic", "--no-checkpoint", "--output", "jsonl", "--dashboard-url", $"http://127.0.0.1:{busy}");

        Assert.Equal(1, await count.WaitForExitAsync());
        string[] lines = count.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [$"tagstream count: the dashboard cannot listen on 127.0.0.1:{busy}: it is in use (choose another port with --dashboard-url, or --no-dashboard)."],
            lines);
    }

    [Fact]
    public async Task Count_Help_GroupsTheOptionsAndShowsExamples()
    {
        await using var process = CliProcess.Start("count", "--help");

        Assert.Equal(0, await process.WaitForExitAsync());
        string help = process.Stdout;
        Assert.Contains("Usage:\n  tagstream count [options] [TERM...]\n", help, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  $ tagstream count --until-eof\n", help, StringComparison.Ordinal);
        string[] groups = ["Arguments:", "Source:", "Live sources:", "Batching & state:", "Output:", "Dashboard:"];
        int[] at = [.. groups.Select(group => help.IndexOf("\n" + group + "\n", StringComparison.Ordinal))];
        Assert.All(at, index => Assert.True(index > 0, help));
        Assert.Equal(at.Order(), at);
        Assert.InRange(help.IndexOf("--mastodon-url", StringComparison.Ordinal), at[2], at[3]);
        Assert.InRange(help.IndexOf("--connect", StringComparison.Ordinal), at[1], at[2]);
        Assert.InRange(help.IndexOf("--checkpoint", StringComparison.Ordinal), at[3], at[4]);
        Assert.InRange(help.IndexOf("--sql", StringComparison.Ordinal), at[4], at[5]);
        Assert.True(help.IndexOf("--dashboard-url", StringComparison.Ordinal) > at[5]);
        Assert.Contains("socket, replay and stdin ignore them", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_TermsGivenToASourceThatCannotUseThem_AreWarnedAbout()
    {
        await using var process = CliProcess.Start("count", "--source", "stdin", "--no-checkpoint", "--no-dashboard", "--output", "jsonl", "football");
        process.Stdin.Close();

        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Contains("[stdin] Warning: TERMs ignored (football): the stdin source counts every post.", process.Stderr, StringComparison.Ordinal);
    }

    private static Socket Occupy(out int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    // A shell pipeline whose status is tagstream's own (pipefail), so a failure after head left is seen.
    private static CliProcess Pipeline(string command) => CliProcess.StartProgram(
        "bash", ["-c", $"set -o pipefail; dotnet '{Path.Combine(AppContext.BaseDirectory, "Tagstream.Cli.dll")}' {command}"]);
}
