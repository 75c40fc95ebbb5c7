using Spectre.Console.Testing;
using Tagstream.Cli.Terminal;
using Tagstream.Streaming;
using Xunit;

namespace Tagstream.Tests.Cli;

public sealed class TopChartTests
{
    [Fact]
    public void Render_TwentyHashtags_DrawsEveryOneWithItsTotalAndTheTime()
    {
        var top = Enumerable.Range(1, 20).Select(i => new HashtagCount(i == 3 ? "日本語" : $"tag{i:00}", 1000 - i)).ToList();
        var batch = new BatchResult(4, new DateTimeOffset(2026, 11, 26, 12, 0, 5, TimeSpan.Zero), "synthetic", 10, 30, 100, 300, 0, 57, top);
        var console = new TestConsole().Width(120);

        console.Write(TopChart.Render(batch, "synthetic"));

        string output = console.Output;
        Assert.Contains(TopChart.TimeLine(batch), output, StringComparison.Ordinal);
        foreach (HashtagCount entry in top)
        {
            string row = output.Split('\n').Single(line => line.Contains("#" + entry.Hashtag + " ", StringComparison.Ordinal));
            Assert.Contains(entry.Total.ToString(System.Globalization.CultureInfo.InvariantCulture), row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_NoBatchYet_ShowsTheWaitingMessage()
    {
        var console = new TestConsole().Width(80);

        console.Write(TopChart.Render(null, "127.0.0.1:9876"));

        Assert.Contains("Waiting for hashtags from 127.0.0.1:9876", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_Ranking_IsOneNumberedLinePerHashtag()
    {
        var batch = new BatchResult(1, DateTimeOffset.UnixEpoch, "s", 1, 2, 1, 2, 0, 2, [new("b", 5), new("a", 5)]);

        string[] lines = TopChart.Plain(batch).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["  1  b  5", "  2  a  5"], lines[1..]);
        Assert.StartsWith("TIME: ", lines[0], StringComparison.Ordinal);
    }
}
