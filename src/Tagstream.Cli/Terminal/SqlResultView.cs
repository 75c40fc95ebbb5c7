using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tagstream.Query;

namespace Tagstream.Cli.Terminal;

/// <summary>
/// Shows a <c>--sql</c> result with its own columns and rows: a bar chart when it has a text column and a numeric column
/// (labelled by the first of each), a table otherwise.
/// </summary>
internal static class SqlResultView
{
    /// <summary>The first text column and the first numeric column, when every row fits them: the result is then a ranking.</summary>
    public static (int Label, int Value)? RankingColumns(SqlQueryResult sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (sql.Rows.Count == 0)
        {
            return null;
        }

        int label = FirstColumn(sql, static value => value is string);
        int number = FirstColumn(sql, static value => value is long or double);
        return label >= 0 && number >= 0 ? (label, number) : null;
    }

    public static IRenderable Render(SqlQueryResult sql, Func<int, int, Color> color)
    {
        if (RankingColumns(sql) is var (label, value))
        {
            BarRow[] bars = [.. sql.Rows.Select(row => new BarRow((string)row[label]!, Convert.ToDouble(row[value], CultureInfo.InvariantCulture), Format(row[value])))];
            return new HashtagBars(bars, index => color(index, bars.Length));
        }

        if (sql.Rows.Count == 0)
        {
            return new Markup("[grey](the query returned no rows)[/]");
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in sql.Columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        foreach (IReadOnlyList<object?> row in sql.Rows)
        {
            table.AddRow([.. row.Select(static value => new Text(Format(value)))]);
        }

        return table;
    }

    /// <summary>What the view shows, said under it.</summary>
    public static string Caption(SqlQueryResult sql) => RankingColumns(sql) is var (label, value)
        ? $"--sql: bars show {sql.Columns[value]} by {sql.Columns[label]}"
        : $"--sql: {sql.Rows.Count} rows of ({string.Join(", ", sql.Columns)})";

    /// <summary>The result as plain lines: the column names, then one line per row, values separated by two spaces.</summary>
    public static string Plain(SqlQueryResult sql)
    {
        var text = new StringBuilder();
        text.AppendJoin("  ", sql.Columns).Append('\n');
        foreach (IReadOnlyList<object?> row in sql.Rows)
        {
            text.AppendJoin("  ", row.Select(Format)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A value as SQLite typed it: numbers in the invariant culture, NULL as NULL, blobs in hexadecimal.</summary>
    public static string Format(object? value) => value switch
    {
        null => "NULL",
        byte[] blob => "x'" + Convert.ToHexString(blob) + "'",
        double number => number.ToString("0.######", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    // The first column whose every value is non-null and passes the test.
    private static int FirstColumn(SqlQueryResult sql, Func<object?, bool> test)
    {
        for (int column = 0; column < sql.Columns.Count; column++)
        {
            if (sql.Rows.All(row => test(row[column])))
            {
                return column;
            }
        }

        return -1;
    }
}
