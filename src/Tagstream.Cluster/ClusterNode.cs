using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Tagstream.Cluster;

/// <summary>
/// One member of a cluster: an Orleans silo with Redis membership that hosts shard and ingest grains and keeps the
/// running jobs' ingests alive.
/// </summary>
internal static class ClusterNode
{
    /// <summary>
    /// Failure detection tuned so that a node killed without warning is declared dead, and its work moves, within a
    /// few seconds (Orleans' defaults take about a minute): probes every second, a member missing two of them suspected,
    /// two votes (or every other member, in smaller clusters) declare it dead.
    /// </summary>
    public static void ConfigureMembership(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 2;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
        options.MaxJoinAttemptTime = TimeSpan.FromSeconds(30);
    }

    /// <summary>Builds the node's host; start it to join the cluster, stop it to leave gracefully.</summary>
    /// <param name="options">How to join.</param>
    /// <param name="redis">The connection to the cluster's Redis for the grains' state.</param>
    /// <param name="opener">Opens the jobs' inputs.</param>
    /// <param name="log">Where the node's lines go.</param>
    /// <param name="debug">Also log Orleans' warnings to standard error.</param>
    public static IHost Build(ClusterNodeOptions options, IConnectionMultiplexer redis, IInputOpener opener, ClusterLog log, bool debug)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        if (debug)
        {
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        }

        builder.Services.AddSingleton(redis);
        builder.Services.AddSingleton(new ClusterKeys(options.ClusterId));
        builder.Services.AddSingleton(opener);
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(ClusterFaults.FromEnvironment());
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = "tagstream";
            });
            silo.UseRedisClustering(redisClustering =>
                redisClustering.ConfigurationOptions = options.Address.ToRedisOptions(abortOnConnectFail: false));
            silo.ConfigureEndpoints(options.Advertise, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            silo.Configure<ClusterMembershipOptions>(ConfigureMembership);
        });

        // Registered after the silo, so that they stop before it when the node leaves.
        builder.Services.AddHostedService<JobWatchdog>();
        builder.Services.AddHostedService<MembershipReporter>();
        return builder.Build();
    }
}
