using System.Globalization;

namespace Tagstream.Cluster;

/// <summary>
/// Faults a test can widen on a node, so that a kill lands at a chosen moment of a batch's life rather than by luck:
/// <see cref="CommitDelay"/> holds every batch between its last shard apply and its commit (the moment a replay must
/// get exactly right). Never set in normal runs; it changes timing only, never what is counted.
/// </summary>
/// <param name="CommitDelay">The pause before each commit; zero normally.</param>
internal sealed record ClusterFaults(TimeSpan CommitDelay)
{
    /// <summary>The variable that sets <see cref="CommitDelay"/> in milliseconds, for the cluster's fault tests.</summary>
    public const string CommitDelayVariable = "TAGSTREAM_FAULT_COMMIT_DELAY_MS";

    public static ClusterFaults FromEnvironment()
    {
        string? delay = Environment.GetEnvironmentVariable(CommitDelayVariable);
        return new(int.TryParse(delay, NumberStyles.None, CultureInfo.InvariantCulture, out int milliseconds)
            ? TimeSpan.FromMilliseconds(milliseconds)
            : TimeSpan.Zero);
    }
}
