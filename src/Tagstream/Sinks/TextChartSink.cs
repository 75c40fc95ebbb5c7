using System.Globalization;
using Tagstream.Query;
using Tagstream.Streaming;

namespace Tagstream.Sinks;

/// <summary>
/// Writes each batch as the original notebook showed it, in plain text: a <c>TIME: yyyy-MM-dd HH:mm:ss</c> line
/// (local time), then the ranking (<see cref="BatchResult.Top"/>) as a horizontal bar chart, one hashtag a line with its
/// bar and total. When the job has an SQL query, its result instead: drawn the same way when its rows are (text, integer),
/// as the notebook's ranking query's are; otherwise the column names, then one line per row.
/// </summary>
/// <remarks>
/// Plain text on purpose: it works in any console, log or redirected file, and the engine stays free of terminal
/// libraries. Bars are scaled to the largest total of the batch; a non-zero total always gets at least one mark. Labels
/// are padded by display width, so bars start in one column after CJK and emoji hashtags too.
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

        else if (batch.Sql is { } sql && !IsRanking(sql))
        {
            text.AppendJoin("  ", sql.Columns).Append('\n');
            foreach (IReadOnlyList<object?> row in sql.Rows)
            {
                text.AppendJoin("  ", row.Select(static value => value switch
                {
                    null => "NULL",
                    byte[] blob => "x'" + Convert.ToHexString(blob) + "'",
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                })).Append('\n');
            }

            return text.ToString();
        }

        IReadOnlyList<HashtagCount> top = batch.Sql is { Error: null } ranking && IsRanking(ranking)
            ? [.. ranking.Rows.Select(static row => new HashtagCount((string)row[0]!, (long)row[1]!))]
            : batch.Top;
        if (top.Count == 0)
        {
            text.Append("(no hashtags yet)\n");
            return text.ToString();
        }

        int labelWidth = 0;
        long largest = 0;
        foreach (HashtagCount entry in top)
        {
            labelWidth = Math.Max(labelWidth, DisplayWidth.Of(entry.Hashtag));
            largest = Math.Max(largest, entry.Total);
        }

        int rankWidth = top.Count.ToString(invariant).Length;
        for (int i = 0; i < top.Count; i++)
        {
            HashtagCount entry = top[i];
            int bar = largest == 0 ? 0 : (int)Math.Max(entry.Total > 0 ? 1 : 0, entry.Total * _barWidth / largest);
            text.Append(invariant, $"{(i + 1).ToString(invariant).PadLeft(rankWidth)} {DisplayWidth.PadRight(entry.Hashtag, labelWidth)} ");
            text.Append('#', bar);
            text.Append(invariant, $" {entry.Total}\n");
        }

        return text.ToString();
    }

    // Rows of (text, integer): a ranking the chart can draw with the query's own values.
    private static bool IsRanking(SqlQueryResult sql) =>
        sql.Columns.Count == 2 && sql.Rows.All(static row => row[0] is string && row[1] is long);
}
