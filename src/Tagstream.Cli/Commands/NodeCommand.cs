using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Tagstream.Cluster;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>tagstream node</c>: one member of a cluster (an Orleans silo with Redis membership). It prints one line when it
/// has joined and one per change of another member's state; Ctrl+C or SIGTERM leaves the cluster gracefully.
/// </summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var cluster = new Option<string>("--cluster")
        {
            Description = "The cluster's Redis, redis://HOST:PORT (a password in the URL or TAGSTREAM_REDIS_PASSWORD off loopback).",
            Required = true,
        };
        var clusterId = ClusterCountOptions.ClusterIdOption();
        var advertise = new Option<string>("--advertise")
        {
            Description = "The address this node listens on and gives the other nodes.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var siloPort = new Option<int>("--silo-port")
        {
            Description = "The port the other nodes reach this one on.",
            DefaultValueFactory = _ => ClusterNodeOptions.DefaultSiloPort,
        };
        var gatewayPort = new Option<int>("--gateway-port")
        {
            Description = "The port clients reach this node on.",
            DefaultValueFactory = _ => ClusterNodeOptions.DefaultGatewayPort,
        };
        var command = new Command("node", "Run one member of a Tagstream cluster: it counts the cluster's jobs with the other members.")
        {
            cluster, clusterId, advertise, siloPort, gatewayPort,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync("node", async stop =>
        {
            ClusterAddress address = ClusterConnection.Parse(parse.GetValue(cluster)!);
            string id = ClusterConnection.ValidName(parse.GetValue(clusterId)!, "--cluster-id");
            if (!IPAddress.TryParse(parse.GetValue(advertise), out IPAddress? ip))
            {
                throw new UsageException($"--advertise must be an IP address of this machine, not '{parse.GetValue(advertise)}'.");
            }

            int silo = Port(parse.GetValue(siloPort), "--silo-port");
            int gateway = Port(parse.GetValue(gatewayPort), "--gateway-port");
            await using ConnectionMultiplexer redis = await ClusterConnection.ConnectAsync(address).ConfigureAwait(false);
            var log = new ClusterLog(Console.Out.WriteLine);
            bool debug = Environment.GetEnvironmentVariable("TAGSTREAM_DEBUG") == "1";
            using IHost host = Tagstream.Cluster.ClusterNode.Build(
                new ClusterNodeOptions(address, id, ip, silo, gateway), redis, new ClusterInputOpener(), log, debug);
            try
            {
                await host.StartAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new IOException($"could not join cluster {id} at {address}: {e.Message.Split('\n', 2)[0]}", e);
            }

            log.Line(string.Create(
                CultureInfo.InvariantCulture, $"joined cluster {id} at {address} as {ip}:{silo} (gateway {gateway}); Ctrl+C leaves it"));
            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: leave gracefully below.
            }

            log.Line("leaving the cluster: handing this node's work to the others");
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            log.Line("left the cluster");
            return 0;
        }));
        return command;
    }

    private static int Port(int port, string option) =>
        port is > 0 and <= 65535 ? port : throw new UsageException($"{option} must be from 1 to 65535, not {port}.");
}
