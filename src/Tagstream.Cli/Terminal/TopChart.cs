using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tagstream.Query;
using Tagstream.Streaming;

namespace Tagstream.Cli.Terminal;

/// <summary>Draws a batch's ranking as the original did: the batch time, then a bar per hashtag in a cyan-to-magenta palette.</summary>
internal static class TopChart
{
    public static string TimeLine(BatchResult batch) =>
        "TIME: " + batch.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A bar chart of the ranking, or a waiting message before any hashtag has been counted.</summary>
    public static IRenderable Render(BatchResult? batch, string waitingFor)
    {
        if (batch is null || batch.Top.Count == 0)
        {
            string time = batch is null ? "TIME: -" : TimeLine(batch);
            return new Rows(new Text(time), new Panel(new Markup($"[grey]Waiting for hashtags from {Markup.Escape(waitingFor)}...[/]")).Header("top hashtags"));
        }

        var chart = new BarChart().Width(Math.Clamp(AnsiConsole.Profile.Width, 40, 120));
        for (int i = 0; i < batch.Top.Count; i++)
        {
            HashtagCount entry = batch.Top[i];
            chart.AddItem(Markup.Escape("#" + entry.Hashtag), entry.Total, CoolColor(i, batch.Top.Count));
        }

        string status = string.Create(
            CultureInfo.InvariantCulture,
            $"batch {batch.Batch} | {batch.Source} | {batch.Posts:N0} posts, {batch.Tags:N0} tags this batch | {batch.TotalTags:N0} tags, {batch.DistinctTags:N0} distinct | malformed {batch.Malformed:N0}");
        return new Rows(new Text(TimeLine(batch)), chart, new Markup($"[grey]{Markup.Escape(status)}[/]"));
    }

    /// <summary>The ranking as plain lines: rank, hashtag, total.</summary>
    public static string Plain(BatchResult batch)
    {
        var text = new System.Text.StringBuilder();
        text.Append(TimeLine(batch)).Append('\n');
        if (batch.Top.Count == 0)
        {
            text.Append("(no hashtags yet)\n");
        }

        for (int i = 0; i < batch.Top.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1,3}  {batch.Top[i].Hashtag}  {batch.Top[i].Total}\n");
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
