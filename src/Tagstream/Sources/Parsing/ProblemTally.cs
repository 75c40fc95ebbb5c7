namespace Tagstream.Sources.Parsing;

/// <summary>
/// Keeps a bad input from flooding its reader's console: counts the records of each distinct problem, says which to
/// report (the first few of each) and how many went unreported, for a summary at the end.
/// </summary>
/// <remarks>Problems are compared as strings: <see cref="ParseOutcome.Problem"/> holds no record-specific data for that reason.</remarks>
/// <param name="reportedPerProblem">How many records of one problem are reported one by one.</param>
public sealed class ProblemTally(int reportedPerProblem = 3)
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _summarised = new(StringComparer.Ordinal);

    /// <summary>Counts one record with <paramref name="problem"/>.</summary>
    /// <returns>True when this record should be reported on its own line.</returns>
    public bool Count(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _counts.TryGetValue(problem, out var count);
        _counts[problem] = ++count;
        return count <= reportedPerProblem;
    }

    /// <summary>The problems with records not reported on their own lines, and how many, since the previous call.</summary>
    public IReadOnlyList<(string Problem, long Unreported)> TakeUnreported()
    {
        var unreported = new List<(string, long)>();
        foreach (var (problem, count) in _counts)
        {
            _summarised.TryGetValue(problem, out var done);
            var pending = Math.Max(0, count - reportedPerProblem) - done;
            if (pending > 0)
            {
                unreported.Add((problem, pending));
                _summarised[problem] = done + pending;
            }
        }

        return unreported;
    }
}
