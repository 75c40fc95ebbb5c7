using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Tagstream.Cluster;

/// <summary>The members of a cluster and the shard activations each holds, asked of the cluster as an Orleans client.</summary>
internal static class ClusterMembers
{
    /// <summary>Each active member's address and how many shard grains it holds now.</summary>
    /// <exception cref="SiloUnavailableException">No member can be reached.</exception>
    public static async Task<IReadOnlyList<(string Member, int Shards)>> ReadAsync(
        ClusterAddress address, string clusterId, CancellationToken cancellationToken)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = clusterId;
                cluster.ServiceId = "tagstream";
            });
            client.UseRedisClustering(redis => redis.ConfigurationOptions = address.ToRedisOptions(abortOnConnectFail: false));
        });
        using IHost host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IManagementGrain management = host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            Dictionary<SiloAddress, SiloStatus> members =
                await management.GetHosts(onlyActive: true, cancellationToken).ConfigureAwait(false);
            SimpleGrainStatistic[] statistics = await management.GetSimpleGrainStatistics(cancellationToken).ConfigureAwait(false);
            return
            [
                .. members.Keys.OrderBy(m => m.ToString(), StringComparer.Ordinal).Select(member => (
                    member.Endpoint.ToString(),
                    statistics
                        .Where(s => s.SiloAddress.Equals(member) && s.GrainType.Contains(nameof(ShardGrain), StringComparison.Ordinal))
                        .Sum(s => s.ActivationCount))),
            ];
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
