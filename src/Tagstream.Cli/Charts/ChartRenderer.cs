using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace Tagstream.Cli.Charts;

/// <summary>
/// Draws the top-N bar chart of the original: hashtags on the x axis with their labels turned 90°, bars coloured
/// cyan to magenta, the total on each bar, and the batch time as the title. One renderer serves the PNG and SVG
/// files and the dashboard, so all three show the same picture.
/// </summary>
internal sealed class ChartRenderer
{
    /// <summary>Longer hashtags are cut (with an ellipsis) so the labels keep the bars readable; the table has them whole.</summary>
    internal const int MaxLabelLength = 24;

    private const float TickFontSize = 14;
    private const float ValueFontSize = 12;

    /// <summary>Creates a renderer of charts <paramref name="width"/> by <paramref name="height"/> pixels.</summary>
    public ChartRenderer(int width = 1200, int height = 700)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 200);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 200);
        Width = width;
        Height = height;
    }

    /// <summary>The width of the charts, in pixels.</summary>
    public int Width { get; }

    /// <summary>The height of the charts, in pixels.</summary>
    public int Height { get; }

    /// <summary>The chart as a PNG image.</summary>
    public byte[] RenderPng(IReadOnlyList<HashtagCount> top, string title)
    {
        using var plot = Build(top, title);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>The chart as an SVG document.</summary>
    public string RenderSvg(IReadOnlyList<HashtagCount> top, string title)
    {
        using var plot = Build(top, title);
        return plot.GetSvgXml(Width, Height);
    }

    /// <summary>The title line of the original: the batch time in local time.</summary>
    public static string TitleFor(DateTimeOffset time) =>
        "TIME: " + time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static Plot Build(IReadOnlyList<HashtagCount> top, string title)
    {
        var labels = top.Select(static entry => Shorten(entry.Hashtag)).ToArray();
        var family = ChartFont.For(labels.Append(title));

        var plot = new Plot();
        plot.Font.Set(family);
        plot.Title(title);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;

        if (top.Count == 0)
        {
            var waiting = plot.Add.Text("waiting for hashtags", 0, 0);
            waiting.LabelFontName = family;
            waiting.LabelFontSize = 18;
            waiting.LabelAlignment = Alignment.MiddleCenter;
            plot.Axes.SetLimits(-1, 1, -1, 1);
            plot.HideAxesAndGrid();
            return plot;
        }

        var bars = new Bar[top.Count];
        for (var i = 0; i < top.Count; i++)
        {
            bars[i] = new Bar
            {
                Position = i,
                Value = top[i].Total,
                FillColor = CoolPalette.At(i, top.Count),
                LineWidth = 0,
                Label = FormatValue(top[i].Total),
            };
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontName = family;
        barPlot.ValueLabelStyle.FontSize = ValueFontSize;

        var bottom = plot.Axes.Bottom;
        bottom.SetTicks([.. Enumerable.Range(0, top.Count).Select(static i => (double)i)], labels);
        bottom.TickLabelStyle.Rotation = -90;
        bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        bottom.TickLabelStyle.FontSize = TickFontSize;
        bottom.MajorTickStyle.Length = 0;
        // ScottPlot sizes the axis for unrotated labels: reserve room for the longest turned label instead.
        bottom.MinimumSize = WidestLabel(labels, family) + 24;

        plot.Axes.Margins(bottom: 0, top: 0.12);
        return plot;
    }

    private static float WidestLabel(string[] labels, string family)
    {
        using var font = new SKFont(ChartFont.Typeface(family), TickFontSize);
        return labels.Length == 0 ? 0 : labels.Max(label => font.MeasureText(label));
    }

    internal static string Shorten(string hashtag)
    {
        var info = new StringInfo(hashtag);
        return info.LengthInTextElements <= MaxLabelLength
            ? hashtag
            : info.SubstringByTextElements(0, MaxLabelLength - 1) + "…";
    }

    /// <summary>Exact below 100 000 so small counts read as counted; above that, three significant digits that fit on a bar.</summary>
    internal static string FormatValue(long total) => total switch
    {
        < 100_000 => total.ToString("N0", CultureInfo.InvariantCulture),
        < 1_000_000 => (total / 1_000.0).ToString("0", CultureInfo.InvariantCulture) + "k",
        < 1_000_000_000 => (total / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        _ => (total / 1_000_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + "G",
    };
}
