using System.Text;
using System.Xml.Linq;
using SkiaSharp;
using Tagstream.Cli.Commands;
using Tagstream.State;
using Tagstream.Tests.Cli;
using Xunit;

namespace Tagstream.Tests.Dashboard;

public sealed class ChartCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tagstream-chart-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Chart_FromCheckpoint_WritesThePngOfTheCommittedTop()
    {
        WriteCheckpoint(("football", 50), ("worldcup", 40), ("サッカー", 30));
        var png = Path.Combine(_directory, "top20.png");

        await using var chart = CliProcess.Start("chart", "--from-checkpoint", Path.Combine(_directory, "state"), "--out", png);

        Assert.Equal(0, await chart.WaitForExitAsync());
        Assert.Contains("the top 3 of 3 hashtags after batch 2", chart.Stdout, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((1200, 700), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task Chart_FromCheckpointAsSvg_HasTheHashtagsInOrder()
    {
        WriteCheckpoint(("b", 5), ("a", 5), ("c", 9));
        var svg = Path.Combine(_directory, "top.svg");

        await using var chart = CliProcess.Start("chart", "--from-checkpoint", Path.Combine(_directory, "state"), "--out", svg, "--top", "2");

        Assert.Equal(0, await chart.WaitForExitAsync());
        var texts = XDocument.Load(svg).Descendants().Where(static e => e.Name.LocalName == "text").Select(static e => e.Value.Trim()).ToList();
        Assert.True(texts.IndexOf("c") < texts.IndexOf("a"));
        Assert.DoesNotContain("b", texts);
    }

    [Theory]
    [InlineData("missing", "out.png", "there is no folder")]
    [InlineData("state", "out.gif", "--out must end in .png or .svg")]
    public async Task Chart_BadOption_IsOneLineAndExitCode2(string folder, string output, string message)
    {
        WriteCheckpoint(("x", 1));

        await using var chart = CliProcess.Start("chart", "--from-checkpoint", Path.Combine(_directory, folder), "--out", Path.Combine(_directory, output));

        Assert.Equal(2, await chart.WaitForExitAsync());
        Assert.Contains(message, chart.Stderr, StringComparison.Ordinal);
        Assert.Single(chart.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Rank_OrdersByTotalThenUtf8Bytes()
    {
        var totals = new Dictionary<byte[], long>
        {
            [Encoding.UTF8.GetBytes("é")] = 3,
            [Encoding.UTF8.GetBytes("z")] = 3,
            [Encoding.UTF8.GetBytes("Z")] = 3,
            [Encoding.UTF8.GetBytes("top")] = 9,
        };

        Assert.Equal(
            [new HashtagCount("top", 9), new HashtagCount("Z", 3), new HashtagCount("z", 3)],
            ChartCommand.Rank(totals, 3));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void WriteCheckpoint(params (string Hashtag, long Total)[] totals)
    {
        using var store = CheckpointStore.Open(Path.Combine(_directory, "state"), out _);
        // Two batches, so the chart shows the totals recovered through the deltas, not just the first one's.
        var first = store.BeginBatch(1);
        first.Add(Encoding.UTF8.GetBytes(totals[0].Hashtag), 1);
        first.Commit(null, new CheckpointCounters(1, 1, 0));
        var second = store.BeginBatch(2);
        foreach (var (hashtag, total) in totals)
        {
            second.Add(Encoding.UTF8.GetBytes(hashtag), total);
        }

        second.Commit(null, new CheckpointCounters(totals.Length, totals.Sum(static t => t.Total), 0));
    }
}
