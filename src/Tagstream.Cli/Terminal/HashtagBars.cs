using Spectre.Console;
using Spectre.Console.Rendering;

namespace Tagstream.Cli.Terminal;

/// <summary>
/// A horizontal bar chart whose bars are proportional to their values at every width: labels get a column of their own
/// (aligned by display width, so CJK and emoji labels line up), each bar starts at the same column, and its figure follows it.
/// </summary>
/// <remarks>
/// Spectre.Console's <c>BarChart</c> shares one width between a row's label and its bar, so a long label shortens its
/// bar and small values draw none: the chart then lies about the proportions it exists to show.
/// </remarks>
internal sealed class HashtagBars : Renderable
{
    /// <summary>The character bars are drawn with.</summary>
    public const char Block = '█';

    private const char Ellipsis = '…';
    private readonly IReadOnlyList<BarRow> _rows;
    private readonly Func<int, Color> _color;

    public HashtagBars(IReadOnlyList<BarRow> rows, Func<int, Color> color)
    {
        _rows = rows;
        _color = color;
    }

    /// <summary>
    /// The cells a bar of <paramref name="value"/> gets when the largest value fills <paramref name="barWidth"/> cells:
    /// rounded to the nearest cell, so every bar is within half a cell of its exact length.
    /// </summary>
    public static int BarLength(double value, double largest, int barWidth) =>
        value <= 0 || largest <= 0 ? 0 : (int)Math.Round(Math.Min(value, largest) / largest * barWidth, MidpointRounding.AwayFromZero);

    /// <summary>The label column's width: the widest label, but never more than two fifths of the line.</summary>
    public static int LabelWidth(IEnumerable<BarRow> rows, int maxWidth) =>
        Math.Min(rows.Select(static row => row.Label.GetCellWidth()).DefaultIfEmpty(0).Max(), Math.Max(4, maxWidth * 2 / 5));

    /// <summary>The cells the longest bar gets on a line of <paramref name="maxWidth"/> cells.</summary>
    public static int BarWidth(IReadOnlyList<BarRow> rows, int maxWidth)
    {
        int figureWidth = rows.Select(static row => row.Figure.GetCellWidth()).DefaultIfEmpty(0).Max();
        return Math.Max(1, maxWidth - LabelWidth(rows, maxWidth) - figureWidth - 2);
    }

    protected override Measurement Measure(RenderOptions options, int maxWidth) => new(Math.Min(maxWidth, 20), maxWidth);

    protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        int labelWidth = LabelWidth(_rows, maxWidth);
        int barWidth = BarWidth(_rows, maxWidth);
        double largest = _rows.Select(static row => row.Value).DefaultIfEmpty(0).Max();
        for (int i = 0; i < _rows.Count; i++)
        {
            BarRow row = _rows[i];
            string label = Fit(row.Label, labelWidth);
            yield return new Segment(label + new string(' ', labelWidth - label.GetCellWidth() + 1));
            int length = BarLength(row.Value, largest, barWidth);
            if (length > 0)
            {
                yield return new Segment(new string(Block, length), new Style(_color(i)));
            }

            yield return new Segment(" " + row.Figure);
            yield return Segment.LineBreak;
        }
    }

    // Cuts a label to the column by display width, never through a wide character, and marks the cut.
    private static string Fit(string label, int width)
    {
        if (label.GetCellWidth() <= width)
        {
            return label;
        }

        var fitted = new System.Text.StringBuilder();
        int used = 0;
        foreach (System.Text.Rune rune in label.EnumerateRunes())
        {
            int cells = rune.ToString().GetCellWidth();
            if (used + cells > width - 1)
            {
                break;
            }

            fitted.Append(rune.ToString());
            used += cells;
        }

        return fitted.Append(Ellipsis).ToString();
    }
}
