namespace Tagstream.Tests.Architecture;

/// <summary>
/// The table "What each folder may import" of docs/ARCHITECTURE.md: one row per folder of the library, its second
/// column the folders it may use (or "nothing"). The page is the rule; this class only reads it.
/// </summary>
internal sealed class ArchitectureRules
{
    private const string Heading = "## What each folder may import";

    private readonly Dictionary<string, HashSet<string>> _allowed;

    private ArchitectureRules(Dictionary<string, HashSet<string>> allowed) => _allowed = allowed;

    /// <summary>The folders that have a row.</summary>
    public IEnumerable<string> Folders => _allowed.Keys;

    /// <summary>The folders <paramref name="folder"/> may use.</summary>
    public IReadOnlySet<string> AllowedFrom(string folder) => _allowed[folder];

    /// <summary>Reads the table from the markdown text of the page.</summary>
    public static ArchitectureRules Parse(string markdown)
    {
        var lines = markdown.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == Heading);
        if (start < 0)
        {
            throw new FormatException($"docs/ARCHITECTURE.md has no section '{Heading}'.");
        }

        var allowed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 4 || !cells[1].StartsWith('`'))
            {
                continue;
            }

            var targets = cells[2] == "nothing"
                ? []
                : cells[2].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Unquote);
            allowed.Add(Unquote(cells[1]), [.. targets]);
        }

        return new ArchitectureRules(allowed);
    }

    private static string Unquote(string cell) => cell.Trim('`');
}
