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

    /// <summary>Every job of the cluster, by name.</summary>
    public async Task<IReadOnlyList<JobSummary>> ListAsync()
    {
        IDatabase db = redis.GetDatabase();
        HashEntry[] jobs = await db.HashGetAllAsync(keys.Jobs).ConfigureAwait(false);
        RedisValue[] running = await db.SetMembersAsync(keys.Running).ConfigureAwait(false);
        var summaries = new List<JobSummary>();
        foreach (HashEntry job in jobs.OrderBy(j => (string)j.Name!, StringComparer.Ordinal))
        {
            JobSpec spec = JsonSerializer.Deserialize((byte[])job.Value!, ClusterJson.Default.JobSpec)!;
            IngestStore progress = Progress(spec.Name);
            (CommittedBatch? committed, _) = await progress.LoadAsync().ConfigureAwait(false);
            summaries.Add(new JobSummary(spec, running.Contains(spec.Name), committed, await progress.ErrorAsync().ConfigureAwait(false)));
        }

        return summaries;
    }

    /// <summary>Stops a job for good: no batch is planned or committed after this; false when there is no such job.</summary>
    public async Task<bool> StopAsync(string job)
    {
        if (!await redis.GetDatabase().HashExistsAsync(keys.Jobs, job).ConfigureAwait(false))
        {
            return false;
        }

        await Progress(job).FailAsync("it was stopped with tagstream cluster stop").ConfigureAwait(false);
        return true;
    }

    /// <summary>The store of a job's progress, to read its batches.</summary>
    public IngestStore Progress(string job) => new(redis.GetDatabase(), keys, job);
}
