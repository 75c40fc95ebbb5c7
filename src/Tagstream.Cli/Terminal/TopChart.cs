using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tagstream.Streaming;

namespace Tagstream.Cli.Terminal;

/// <summary>Draws a batch's ranking as the original did: the batch time, then a bar per hashtag in a cyan-to-magenta palette.</summary>
internal static class TopChart
{
    public static string TimeLine(BatchResult batch) =>
        "TIME: " + batch.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The ranking a view shows: all (all-time, or the SQL rows), window, or trending (window counts of the fastest risers).</summary>
    public static IReadOnlyList<HashtagCount> Ranking(BatchResult batch, string view) => view switch
    {
        "window" => batch.Window ?? [],
        "trending" => [.. (batch.Trending ?? []).Select(t => new HashtagCount(t.Hashtag, t.WindowCount))],
        _ => batch.Top,
    };

    /// <summary>A bar chart of the ranking, or a waiting message before any hashtag has been counted.</summary>
    public static IRenderable Render(BatchResult? batch, string waitingFor, string view = "all")
    {
        IReadOnlyList<HashtagCount> ranking = batch is null ? [] : Ranking(batch, view);
        if (batch is null || ranking.Count == 0)
        {
            string time = batch is null ? "TIME: -" : TimeLine(batch);
            return new Rows(new Text(time), new Panel(new Markup($"[grey]Waiting for hashtags from {Markup.Escape(waitingFor)}...[/]")).Header("top hashtags"));
        }

        var chart = new BarChart().Width(Math.Clamp(AnsiConsole.Profile.Width, 40, 120));
        for (int i = 0; i < ranking.Count; i++)
        {
            HashtagCount entry = ranking[i];
            string label = batch.Approximate && view == "all" ? $"#{entry.Hashtag} ±{entry.Error}" : "#" + entry.Hashtag;
            chart.AddItem(Markup.Escape(label), entry.Total, CoolColor(i, ranking.Count));
        }

        string status = string.Create(
            CultureInfo.InvariantCulture,
            $"{ViewName(view)} | batch {batch.Batch} | {batch.Source} | {batch.Posts:N0} posts, {batch.Tags:N0} tags this batch | {batch.TotalTags:N0} tags, {batch.DistinctTags:N0} distinct | malformed {batch.Malformed:N0}{(batch.Approximate ? " | approximate: true count in [total - error, total]" : "")}");
        var rows = new List<IRenderable> { new Text(TimeLine(batch)), chart, new Markup($"[grey]{Markup.Escape(status)}[/]") };
        if (batch.Sql?.Error is { } error)
        {
            rows.Add(new Markup($"[red]{Markup.Escape("SQL error: " + error)}[/]"));
        }

        return new Rows(rows);
    }

    private static string ViewName(string view) => view switch
    {
        "window" => "window",
        "trending" => "trending (window counts)",
        _ => "all-time",
    };

    /// <summary>The ranking as plain lines: rank, hashtag, total (and ±error when approximate).</summary>
    public static string Plain(BatchResult batch, string view = "all")
    {
        IReadOnlyList<HashtagCount> ranking = Ranking(batch, view);
        var text = new System.Text.StringBuilder();
        text.Append(TimeLine(batch)).Append('\n');
        if (batch.Sql?.Error is { } error)
        {
            text.Append("SQL error: ").Append(error).Append('\n');
        }

        if (ranking.Count == 0)
        {
            text.Append("(no hashtags yet)\n");
        }

        bool approximate = batch.Approximate && view == "all";
        for (int i = 0; i < ranking.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1,3}  {ranking[i].Hashtag}  {ranking[i].Total}");
            text.Append(approximate ? string.Create(CultureInfo.InvariantCulture, $" ±{ranking[i].Error}\n") : "\n");
        }

        return text.ToString();
    }

    // Matplotlib's 'cool' colour map runs linearly from cyan (0, 255, 255) to magenta (255, 0, 255).
    private static Color CoolColor(int index, int count)
    {
        double t = count <= 1 ? 0 : (double)index / (count - 1);
        return new Color((byte)Math.Round(255 * t), (byte)Math.Round(255 * (1 - t)), 255);
    }
}
