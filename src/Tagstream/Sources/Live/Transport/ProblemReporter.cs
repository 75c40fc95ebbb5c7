namespace Tagstream.Sources.Live.Transport;

/// <summary>
/// Reports problems in a live stream as <see cref="SourceStatus"/> warnings without letting a bad stream flood the
/// console: the first occurrence of each kind is reported in full, later ones are counted and summarised at most once
/// per interval.
/// </summary>
/// <remarks>Thread-safe: the sources of one feed may report from several connections.</remarks>
public sealed class ProblemReporter
{
    private readonly string _source;
    private readonly IProgress<SourceStatus> _status;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _summaryInterval;
    private readonly Dictionary<string, KindState> _kinds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Creates a reporter for one source.</summary>
    /// <param name="source">The source's name, for example <c>x</c>.</param>
    /// <param name="status">Receives each report as one line (no line break in it).</param>
    /// <param name="timeProvider">The clock for the summary interval.</param>
    /// <param name="summaryInterval">How often repeats of one kind are summarised at most; 10 s when null.</param>
    public ProblemReporter(string source, IProgress<SourceStatus> status, TimeProvider timeProvider, TimeSpan? summaryInterval = null)
    {
        _source = source;
        _status = status;
        _timeProvider = timeProvider;
        _summaryInterval = summaryInterval ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>Reports one occurrence of a problem.</summary>
    /// <param name="kind">A stable key for the kind of problem, for example <c>x.malformed-json</c>; repeats are counted per kind.</param>
    /// <param name="message">One line for the user; line breaks are replaced by spaces.</param>
    public void Report(string kind, string message)
    {
        string? line = null;
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            if (!_kinds.TryGetValue(kind, out var state))
            {
                _kinds[kind] = new KindState { LastWritten = now };
                line = message;
            }
            else if (_timeProvider.GetElapsedTime(state.LastWritten, now) >= _summaryInterval)
            {
                line = state.Suppressed == 0
                    ? message
                    : $"{message} (and {state.Suppressed} more like it since the last report)";
                state.Suppressed = 0;
                state.LastWritten = now;
            }
            else
            {
                state.Suppressed++;
            }
        }

        if (line is not null)
        {
            Write(OneLine(line));
        }
    }

    /// <summary>Writes a summary line for every kind with repeats not yet reported, for example when the source stops.</summary>
    public void Flush()
    {
        List<string> lines = [];
        lock (_lock)
        {
            foreach (var (kind, state) in _kinds)
            {
                if (state.Suppressed > 0)
                {
                    lines.Add($"{kind}: {state.Suppressed} more like the last report");
                    state.Suppressed = 0;
                    state.LastWritten = _timeProvider.GetTimestamp();
                }
            }
        }

        foreach (var line in lines)
        {
            Write(line);
        }
    }

    private void Write(string line) => _status.Report(new SourceStatus(_source, SourceSeverity.Warning, line));

    private static string OneLine(string message) =>
        message.Contains('\n', StringComparison.Ordinal) || message.Contains('\r', StringComparison.Ordinal)
            ? message.ReplaceLineEndings(" ")
            : message;

    private sealed class KindState
    {
        public long LastWritten { get; set; }

        public long Suppressed { get; set; }
    }
}
