namespace Tagstream.Cluster;

/// <summary>
/// A counting job as the cluster keeps it in Redis: what to read and how to batch and rank. Written once by the
/// <c>count</c> that starts the job; every node reads its input from it.
/// </summary>
/// <param name="Name">The job's name, unique in the cluster.</param>
/// <param name="Identity">
/// The source's identity (kind and the options that decide its content): a job is never run over another source.
/// </param>
/// <param name="SourceArguments">The source's options, as given on the command line, with file names made absolute.</param>
/// <param name="Unit">What a step of the source's position is.</param>
/// <param name="Interval">The batch interval.</param>
/// <param name="Top">How many hashtags each batch ranks.</param>
/// <param name="Shards">The number of shard grains the totals are split over.</param>
internal sealed record JobSpec(
    string Name,
    string Identity,
    IReadOnlyList<string> SourceArguments,
    OffsetUnit Unit,
    TimeSpan Interval,
    int Top,
    int Shards)
{
    /// <summary>The shard count of a new job: a few per node on small clusters; fixed for the job's life.</summary>
    public const int DefaultShards = 8;
}
