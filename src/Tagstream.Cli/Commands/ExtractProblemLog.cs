using Tagstream.Sources.Parsing;

namespace Tagstream.Cli.Commands;

/// <summary>
/// Writes one line per bad record to standard error without letting a bad input flood it: the first few records of each
/// distinct problem are reported with their line number, later ones only counted and summarised at the end.
/// </summary>
internal sealed class ExtractProblemLog(TextWriter error)
{
    private readonly ProblemTally _tally = new();

    public void Report(long line, string problem)
    {
        if (_tally.Count(problem))
        {
            error.WriteLine($"tagstream extract: line {line}: {problem}");
        }
    }

    public void WriteSummary()
    {
        foreach (var (problem, unreported) in _tally.TakeUnreported())
        {
            error.WriteLine($"tagstream extract: {unreported} more lines like that: {problem}");
        }
    }
}
