namespace Tagstream.Cli.Dashboard;

/// <summary>A Prometheus summary without quantiles: how many durations were observed and their sum.</summary>
/// <param name="Sum">The durations added up.</param>
/// <param name="Count">How many were observed.</param>
internal readonly record struct DurationSummary(TimeSpan Sum, long Count)
{
    /// <summary>This summary with one more observation.</summary>
    public DurationSummary Add(TimeSpan duration) => new(Sum + duration, Count + 1);
}
