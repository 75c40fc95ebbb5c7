using System.Globalization;
using Spectre.Console;
using Spectre.Console.Testing;
using Tagstream.Cli.Terminal;
using Tagstream.Query;
using Tagstream.Streaming;
using Xunit;

namespace Tagstream.Tests.Cli;

public sealed class TopChartTests
{
    [Fact]
    public void Render_TwentyHashtags_DrawsEveryOneWithItsTotalAndTheTime()
    {
        var top = Enumerable.Range(1, 20).Select(i => new HashtagCount(i == 3 ? "日本語" : $"tag{i:00}", 1000 - i)).ToList();
        var batch = new BatchResult
        {
            Batch = 4, Time = new DateTimeOffset(2026, 11, 26, 12, 0, 5, TimeSpan.Zero), Source = "synthetic",
            Posts = 10, Tags = 30, TotalPosts = 100, TotalTags = 300, Malformed = 0, DistinctTags = 57, Top = top,
        };
        var console = new TestConsole().Width(120);

        console.Write(TopChart.Render(batch, "synthetic"));

        string output = console.Output;
        Assert.Contains(TopChart.TimeLine(batch), output, StringComparison.Ordinal);
        foreach (HashtagCount entry in top)
        {
            string row = output.Split('\n').Single(line => line.Contains("#" + entry.Hashtag + " ", StringComparison.Ordinal));
            Assert.Contains(entry.Total.ToString("N0", CultureInfo.InvariantCulture), row, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(60)]
    [InlineData(100)]
    [InlineData(160)]
    public void Render_BarLengths_AreProportionalToTheCountsAtEveryWidth(int width)
    {
        // The shapes that broke the old chart: a long label, a small count far below the leader, CJK and emoji labels.
        string[] tags = ["dotnet", "tradubilemeninotr", "冬食日科技影한技", "🎉party", "football", "a", "日本語", "x"];
        long[] totals = [127_000, 58_420, 41_000, 20_000, 9_000, 3_386, 1_000, 1];
        var top = tags.Select((tag, i) => new HashtagCount(tag, totals[i])).ToList();
        var batch = Batch(8, top);
        var console = new TestConsole().Width(width);

        console.Write(TopChart.Render(batch, "s"));

        string[] rows = [.. console.Output.Split('\n').Where(line => line.StartsWith('#'))];
        Assert.Equal(tags.Length, rows.Length);
        int leader = rows[0].Count(c => c == HashtagBars.Block);
        Assert.True(leader >= width / 3, $"the leader's bar has {leader} of {width} cells");
        int barStart = rows[0][..rows[0].IndexOf(HashtagBars.Block, StringComparison.Ordinal)].GetCellWidth();
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.True(rows[i].TrimEnd().GetCellWidth() <= width, $"row {i} is wider than the terminal: '{rows[i]}'");
            double exact = (double)totals[i] / totals[0] * leader;
            int drawn = rows[i].Count(c => c == HashtagBars.Block);
            Assert.True(Math.Abs(drawn - exact) <= 0.5, $"#{tags[i]} ({totals[i]}) has {drawn} cells, {exact:0.0} expected at width {width}");
            if (drawn > 0)
            {
                // Labels are aligned by display width: every bar starts in the same terminal column.
                Assert.Equal(barStart, rows[i][..rows[i].IndexOf(HashtagBars.Block, StringComparison.Ordinal)].GetCellWidth());
            }
        }
    }

    [Fact]
    public void Render_Trending_ShowsScoreWindowCountAndExpectedAndSaysTheBarsAreScores()
    {
        var batch = Batch(2, []) with
        {
            Window = [],
            Trending = [new TrendingHashtag("rising", 15, 20, 2.5, 4.25), new TrendingHashtag("steady", 17, 400, 16.8, 1.01)],
        };
        var console = new TestConsole().Width(120);

        console.Write(TopChart.Render(batch, "s", "trending"));

        string[] lines = console.Output.Split('\n');
        Assert.Contains("4.25×  15 in window, 2.5 expected", lines.Single(line => line.StartsWith("#rising ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("1.01×  17 in window, 16.8 expected", lines.Single(line => line.StartsWith("#steady ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("bars show the score", console.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("by total", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_Trending_IsRankHashtagScoreWindowCountAndExpected()
    {
        var batch = Batch(2, []) with { Window = [], Trending = [new TrendingHashtag("rising", 15, 20, 2.5, 4.25)] };

        string[] lines = TopChart.Plain(batch, "trending").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["  1  rising  score 4.25  window 15  expected 2.5"], lines[1..]);
    }

    [Fact]
    public void Render_SqlResultThatIsNotARanking_ShowsItsOwnColumnsAndRowsInsteadOfTheTop()
    {
        var sql = new SqlQueryResult(["n", "s"], [[3L, 60L]], null);
        var batch = Batch(3, [new("dotnet", 50)]) with { Sql = sql };
        var console = new TestConsole().Width(80);

        console.Write(TopChart.Render(batch, "s"));
        string plain = TopChart.Plain(batch);

        Assert.DoesNotContain("dotnet", console.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s*n\s+s\s*$", console.Output);
        Assert.Matches(@"(?m)^\s*3\s+60\s*$", console.Output);
        Assert.Equal(["n  s", "3  60"], plain.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]);
    }

    [Fact]
    public void Render_SqlRankingWithItsOwnColumnName_IsChartedUnderThatName()
    {
        var sql = new SqlQueryResult(["hashtag", "half"], [["dotnet", 25L], ["rust", 10L]], null);
        var batch = Batch(2, [new("dotnet", 50), new("rust", 20)]) with { Sql = sql };
        var console = new TestConsole().Width(80);

        console.Write(TopChart.Render(batch, "s"));
        string plain = TopChart.Plain(batch);

        Assert.Contains("bars show half by hashtag", console.Output, StringComparison.Ordinal);
        Assert.Contains(console.Output.Split('\n'), line => line.StartsWith("dotnet ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(" 25", StringComparison.Ordinal));
        Assert.Equal(["hashtag  half", "dotnet  25", "rust  10"], plain.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]);
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
        var batch = new BatchResult
        {
            Batch = 1, Time = DateTimeOffset.UnixEpoch, Source = "s", Posts = 1, Tags = 2, TotalPosts = 1, TotalTags = 2, Malformed = 0,
            DistinctTags = 2, Top = [new("b", 5), new("a", 5)],
        };

        string[] lines = TopChart.Plain(batch).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["  1  b  5", "  2  a  5"], lines[1..]);
        Assert.StartsWith("TIME: ", lines[0], StringComparison.Ordinal);
    }

    private static BatchResult Batch(long distinct, IReadOnlyList<HashtagCount> top) => new()
    {
        Batch = 1,
        Time = DateTimeOffset.UnixEpoch,
        Source = "s",
        Posts = 1,
        Tags = 1,
        TotalPosts = 1,
        TotalTags = 1,
        Malformed = 0,
        DistinctTags = distinct,
        Top = top,
    };
}
