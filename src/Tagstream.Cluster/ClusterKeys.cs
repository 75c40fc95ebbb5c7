using System.Globalization;
using StackExchange.Redis;

namespace Tagstream.Cluster;

/// <summary>
/// The names of everything a cluster keeps in Redis, under <c>tagstream:CLUSTER-ID</c>. The keys one Lua script touches
/// share a hash tag (the part in braces), so they stay in one slot when Redis is a Redis Cluster.
/// </summary>
internal sealed class ClusterKeys
{
    private readonly string _prefix;

    /// <param name="clusterId">The cluster's id: clusters with different ids share a Redis without meeting.</param>
    public ClusterKeys(string clusterId)
    {
        ClusterId = clusterId;
        _prefix = "tagstream:" + clusterId;
    }

    /// <summary>The cluster's id (also Orleans' cluster id).</summary>
    public string ClusterId { get; }

    /// <summary>A hash: job name to its <see cref="JobSpec"/> as JSON.</summary>
    public RedisKey Jobs => _prefix + ":jobs";

    /// <summary>A set: the jobs whose input has not ended, which the nodes keep running.</summary>
    public RedisKey Running => _prefix + ":running";

    /// <summary>The ingest's activation epoch: the newest activation's writes are the only ones accepted.</summary>
    public RedisKey IngestEpoch(string job) => Ingest(job, "epoch");

    /// <summary>The planned batch (a <see cref="BatchPlan"/>), until it is committed.</summary>
    public RedisKey Plan(string job) => Ingest(job, "plan");

    /// <summary>The last committed batch (a <see cref="CommittedBatch"/>).</summary>
    public RedisKey Commit(string job) => Ingest(job, "commit");

    /// <summary>A hash: batch number to its <see cref="CommittedBatch"/>, the last ones kept for the viewers.</summary>
    public RedisKey Results(string job) => Ingest(job, "results");

    /// <summary>Why the job stopped, when its input cannot be read.</summary>
    public RedisKey Error(string job) => Ingest(job, "error");

    /// <summary>
    /// A sorted set: hashtag to minus its total (so the first members are the top: total descending, then bytes ascending).
    /// </summary>
    public RedisKey ShardTotals(string job, int shard) => Shard(job, shard, "totals");

    /// <summary>A hash: input number to the last batch of it the shard applied.</summary>
    public RedisKey ShardApplied(string job, int shard) => Shard(job, shard, "applied");

    /// <summary>The shard's activation epoch.</summary>
    public RedisKey ShardEpoch(string job, int shard) => Shard(job, shard, "epoch");

    private RedisKey Ingest(string job, string what) => $"{_prefix}:{{{job}:ingest}}:{what}";

    private RedisKey Shard(string job, int shard, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{_prefix}:{{{job}:shard:{shard}}}:{what}");
}
