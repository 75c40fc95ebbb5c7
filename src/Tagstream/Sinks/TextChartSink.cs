using System.Globalization;
using Tagstream.Streaming;

namespace Tagstream.Sinks;

/// <summary>
/// Writes each batch as the original notebook showed it, in plain text: a <c>TIME: yyyy-MM-dd HH:mm:ss</c> line
/// (local time), then the ranking (<see cref="BatchResult.Top"/>: the native top-N, or the rows of the job's SQL query)
/// as a horizontal bar chart, one hashtag a line with its bar and total.
/// </summary>
/// <remarks>
/// Plain text on purpose: it works in any console, log or redirected file, and the engine stays free of terminal
/// libraries. Bars are scaled to the largest total of the batch; a non-zero total always gets at least one mark.
/// </remarks>
public sealed class TextChartSink : IBatchSink
{
    private readonly TextWriter _writer;
    private readonly int _barWidth;

    /// <summary>Creates a sink that writes to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the chart goes, e.g. <see cref="Console.Out"/>.</param>
    /// <param name="barWidth">The length in characters of the longest bar, from 1 to 200.</param>
    public TextChartSink(TextWriter writer, int barWidth = 40)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfLessThan(barWidth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(barWidth, 200);
        _writer = writer;
        _barWidth = barWidth;
    }

    /// <inheritdoc />
    public async ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _writer.WriteAsync(Render(batch).AsMemory(), cancellationToken).ConfigureAwait(false);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The text written for <paramref name="batch"/>: the time line, then one line per ranked hashtag.</summary>
    /// <param name="batch">The batch to draw.</param>
    /// <returns>The chart, each line ended by a newline.</returns>
    public string Render(BatchResult batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var text = new System.Text.StringBuilder();
        CultureInfo invariant = CultureInfo.InvariantCulture;
        text.Append(invariant, $"TIME: {batch.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss}\n");
        if (batch.Sql?.Error is { } error)
        {
            // The job keeps streaming when the query fails at run time; say so once per batch.
            text.Append("SQL error: ").Append(error).Append('\n');
        }

        IReadOnlyList<HashtagCount> top = batch.Top;
        if (top.Count == 0)
        {
            text.Append("(no hashtags yet)\n");
            return text.ToString();
        }

        int labelWidth = 0;
        long largest = 0;
        foreach (HashtagCount entry in top)
        {
            labelWidth = Math.Max(labelWidth, entry.Hashtag.Length);
            largest = Math.Max(largest, entry.Total);
        }

        int rankWidth = top.Count.ToString(invariant).Length;
        for (int i = 0; i < top.Count; i++)
        {
            HashtagCount entry = top[i];
            int bar = largest == 0 ? 0 : (int)Math.Max(entry.Total > 0 ? 1 : 0, entry.Total * _barWidth / largest);
            text.Append(invariant, $"{(i + 1).ToString(invariant).PadLeft(rankWidth)} {entry.Hashtag.PadRight(labelWidth)} ");
            text.Append('#', bar);
            text.Append(invariant, $" {entry.Total}\n");
        }

        return text.ToString();
    }
}
