using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Tagstream.Cluster;

/// <summary>
/// Keeps every running job's ingest alive: each node pings the ingest grain of every job in the running set once a
/// second. A ping activates the grain when no node holds it (after a node died or left), so a job moves to a live node
/// as soon as the cluster has declared the old one dead.
/// </summary>
internal sealed class JobWatchdog(IGrainFactory grains, IConnectionMultiplexer redis, ClusterKeys keys, TimeProvider time)
    : BackgroundService
{
    /// <summary>How often each node pings each running job's ingest.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pings = new Dictionary<string, Task>();
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                RedisValue[] jobs;
                try
                {
                    jobs = await redis.GetDatabase().SetMembersAsync(keys.Running).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    continue;
                }

                foreach (RedisValue job in jobs)
                {
                    string name = job!;
                    if (!pings.TryGetValue(name, out Task? pending) || pending.IsCompleted)
                    {
                        pings[name] = PingAsync(name);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is leaving.
        }
    }

    private async Task PingAsync(string job)
    {
        try
        {
            await grains.GetGrain<IIngestGrain>(job).PingAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The grain's node is dying or the cluster is changing: the next tick pings again.
        }
    }
}
