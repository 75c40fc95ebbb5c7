using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tagstream.Query;
using Tagstream.Streaming;

namespace Tagstream.Cli.Terminal;

/// <summary>
/// Draws a batch as the original did: the batch time, then a bar per hashtag in a cyan-to-magenta palette. With
/// <c>--sql</c> the query's own columns and rows are shown instead of the top N.
/// </summary>
internal static class TopChart
{
    public static string TimeLine(BatchResult batch) =>
        "TIME: " + batch.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The bars a view shows: all (all-time totals), window (window counts) or trending (scores).</summary>
    public static IReadOnlyList<BarRow> Bars(BatchResult batch, string view) => view switch
    {
        "window" => [.. (batch.Window ?? []).Select(static entry => new BarRow("#" + entry.Hashtag, entry.Total, Number(entry.Total)))],
        "trending" => [.. (batch.Trending ?? []).Select(static entry => new BarRow("#" + entry.Hashtag, entry.Score, TrendingFigure(entry)))],
        _ => [.. batch.Top.Select(entry => new BarRow(
            "#" + entry.Hashtag,
            entry.Total,
            batch.Approximate ? Number(entry.Total) + " ±" + Number(entry.Error) : Number(entry.Total)))],
    };

    /// <summary>What the bars of a view stand for, said under the chart.</summary>
    public static string Caption(string view) => view switch
    {
        "window" => "window counts, highest first",
        "trending" => "trending: bars show the score (window count + a) / (expected + a), highest first; "
            + "figures: score, window count, expected count",
        _ => "all-time totals, highest first",
    };

    /// <summary>A chart of the view (or the query's result), or a waiting panel before any hashtag has been counted.</summary>
    public static IRenderable Render(BatchResult? batch, string waitingFor, string view = "all")
    {
        IReadOnlyList<BarRow> bars = batch is null ? [] : Bars(batch, view);
        SqlQueryResult? sql = batch?.Sql is { Error: null } result && view == "all" ? result : null;
        if (batch is null || (bars.Count == 0 && sql is null))
        {
            string time = batch is null ? "TIME: -" : TimeLine(batch);
            var waiting = new Markup($"[grey]Waiting for hashtags from {Markup.Escape(waitingFor)}...[/]");
            return new Rows(new Text(time), new Panel(waiting).Header("top hashtags"));
        }

        var rows = new List<IRenderable> { new Text(TimeLine(batch)) };
        string caption;
        if (sql is not null)
        {
            rows.Add(SqlResultView.Render(sql, CoolColor));
            caption = SqlResultView.Caption(sql);
        }
        else
        {
            rows.Add(new HashtagBars(bars, index => CoolColor(index, bars.Count)));
            caption = Caption(view);
        }

        string figures = string.Create(
            CultureInfo.InvariantCulture,
            $"batch {batch.Batch} | {batch.Source} | {batch.Posts:N0} posts, {batch.Tags:N0} tags this batch | {batch.TotalTags:N0} tags, {batch.DistinctTags:N0} distinct | malformed {batch.Malformed:N0}");
        string status = caption + " | " + figures + (batch.Approximate ? " | approximate: true count in [total - error, total]" : "");
        rows.Add(new Markup($"[grey]{Markup.Escape(status)}[/]"));
        if (batch.Sql?.Error is { } error)
        {
            rows.Add(new Markup($"[red]{Markup.Escape("SQL error: " + error)}[/]"));
        }

        return new Rows(rows);
    }

    /// <summary>
    /// The view as plain lines: rank, hashtag, total (±error when approximate; score, window count and expected count
    /// when trending), or the query's columns and rows.
    /// </summary>
    public static string Plain(BatchResult batch, string view = "all")
    {
        var text = new StringBuilder();
        text.Append(TimeLine(batch)).Append('\n');
        if (batch.Sql?.Error is { } error)
        {
            text.Append("SQL error: ").Append(error).Append('\n');
        }
        else if (batch.Sql is { } sql && view == "all")
        {
            return text.Append(SqlResultView.Plain(sql)).ToString();
        }

        int count = view switch
        {
            "window" => batch.Window?.Count ?? 0,
            "trending" => batch.Trending?.Count ?? 0,
            _ => batch.Top.Count,
        };
        if (count == 0)
        {
            text.Append("(no hashtags yet)\n");
        }

        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1,3}  ");
            _ = view switch
            {
                "window" => text.Append(CultureInfo.InvariantCulture, $"{batch.Window![i].Hashtag}  {batch.Window[i].Total}"),
                "trending" => text.Append(CultureInfo.InvariantCulture, $"{batch.Trending![i].Hashtag}  {PlainTrending(batch.Trending[i])}"),
                _ when batch.Approximate => text.Append(CultureInfo.InvariantCulture, $"{batch.Top[i].Hashtag}  {batch.Top[i].Total} ±{batch.Top[i].Error}"),
                _ => text.Append(CultureInfo.InvariantCulture, $"{batch.Top[i].Hashtag}  {batch.Top[i].Total}"),
            };
            text.Append('\n');
        }

        return text.ToString();
    }

    // Matplotlib's 'cool' colour map runs linearly from cyan (0, 255, 255) to magenta (255, 0, 255).
    internal static Color CoolColor(int index, int count)
    {
        double t = count <= 1 ? 0 : (double)index / (count - 1);
        return new Color((byte)Math.Round(255 * t), (byte)Math.Round(255 * (1 - t)), 255);
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string TrendingFigure(TrendingHashtag entry) => string.Create(
        CultureInfo.InvariantCulture, $"{entry.Score:0.00}×  {entry.WindowCount:N0} in window, {entry.Expected:0.#} expected");

    private static string PlainTrending(TrendingHashtag entry) => string.Create(
        CultureInfo.InvariantCulture, $"score {entry.Score:0.00}  window {entry.WindowCount}  expected {entry.Expected:0.##}");
}
