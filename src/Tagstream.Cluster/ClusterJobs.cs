using System.Text.Json;
using StackExchange.Redis;

namespace Tagstream.Cluster;

/// <summary>The jobs of a cluster as a client sees them: submitting one, and reading its committed batches.</summary>
internal sealed class ClusterJobs(IConnectionMultiplexer redis, ClusterKeys keys)
{
    /// <summary>
    /// Registers <paramref name="spec"/> as a new job, or finds the job of that name; returns the job's spec and whether
    /// it existed. The nodes start a registered job within a second.
    /// </summary>
    public async Task<(JobSpec Spec, bool Existed)> SubmitAsync(JobSpec spec)
    {
        IDatabase db = redis.GetDatabase();
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(spec, ClusterJson.Default.JobSpec);
        bool created = await db.HashSetAsync(keys.Jobs, spec.Name, json, When.NotExists).ConfigureAwait(false);
        if (created)
        {
            await db.SetAddAsync(keys.Running, spec.Name).ConfigureAwait(false);
            return (spec, false);
        }

        RedisValue existing = await db.HashGetAsync(keys.Jobs, spec.Name).ConfigureAwait(false);
        return (JsonSerializer.Deserialize((byte[])existing!, ClusterJson.Default.JobSpec)!, true);
    }

    /// <summary>The store of a job's progress, to read its batches.</summary>
    public IngestStore Progress(string job) => new(redis.GetDatabase(), keys, job);
}
