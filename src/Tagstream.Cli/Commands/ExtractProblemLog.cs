namespace Tagstream.Cli.Commands;

/// <summary>
/// Writes one line per bad record to standard error without letting a bad input flood it: the first few records of each
/// distinct problem are reported with their line number, later ones only counted and summarised at the end.
/// </summary>
internal sealed class ExtractProblemLog(TextWriter error, int reportedPerProblem = 3)
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Report(long line, string problem)
    {
        _counts.TryGetValue(problem, out var count);
        _counts[problem] = ++count;
        if (count <= reportedPerProblem)
        {
            error.WriteLine($"tagstream extract: line {line}: {problem}");
        }
    }

    public void WriteSummary()
    {
        foreach (var (problem, count) in _counts)
        {
            if (count > reportedPerProblem)
            {
                error.WriteLine($"tagstream extract: {count - reportedPerProblem} more lines like that: {problem}");
            }
        }
    }
}
