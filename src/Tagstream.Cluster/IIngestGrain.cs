using Orleans.Concurrency;

namespace Tagstream.Cluster;

/// <summary>
/// The reader of a job's input, keyed by the job's name. Activated, and kept active, by every node's <see cref="JobWatchdog"/>.
/// </summary>
internal interface IIngestGrain : IGrainWithStringKey
{
    /// <summary>Activates the ingest if it is not active (its run then starts) and says whether it is still running.</summary>
    [AlwaysInterleave]
    [ResponseTimeout("00:00:10")]
    Task<bool> PingAsync();
}
