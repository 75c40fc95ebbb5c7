using StackExchange.Redis;

namespace Tagstream.Cluster;

/// <summary>
/// Hosts a job's <see cref="IngestRun"/> while the activation lives: started on activation, stopped on deactivation
/// (a node leaving hands the job over: the next ping activates it elsewhere, where it resumes from Redis).
/// </summary>
internal sealed class IngestGrain(
    IConnectionMultiplexer redis, ClusterKeys keys, IInputOpener opener, ClusterLog log, TimeProvider time, ClusterFaults faults)
    : Grain, IIngestGrain, IAsyncDisposable
{
    private IngestRun? _run;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string job = this.GetPrimaryKeyString();
        RedisValue spec = await redis.GetDatabase().HashGetAsync(keys.Jobs, job).ConfigureAwait(true);
        if (spec.IsNull)
        {
            return;
        }

        JobSpec parsed = System.Text.Json.JsonSerializer.Deserialize((byte[])spec!, ClusterJson.Default.JobSpec)!;
        _run = new IngestRun(parsed, new IngestStore(redis.GetDatabase(), keys, job), opener, GrainFactory, log, time, faults);
        _run.Start();
    }

    public Task<bool> PingAsync()
    {
        if (_run is null || _run.Completion.IsCompleted)
        {
            DeactivateOnIdle();
            return Task.FromResult(false);
        }

        return Task.FromResult(true);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        await DisposeAsync().ConfigureAwait(true);

    public async ValueTask DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync().ConfigureAwait(true);
        }
    }
}
