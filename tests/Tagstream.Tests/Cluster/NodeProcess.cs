using System.Text.RegularExpressions;
using Tagstream.Cluster;
using Tagstream.Tests.Cli;
using Tagstream.Tests.TestSupport;

namespace Tagstream.Tests.Cluster;

/// <summary>A real <c>tagstream node</c> process on free loopback ports, started and joined.</summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private NodeProcess(CliProcess process) => Process = process;

    public CliProcess Process { get; }

    /// <summary>Starts a node; <paramref name="commitDelay"/> holds each batch between its last shard apply and its commit.</summary>
    public static async Task<NodeProcess> StartAsync(string redisUrl, string clusterId, int commitDelay = 0)
    {
        var node = new NodeProcess(CliProcess.StartWith(
            new Dictionary<string, string?> { [ClusterFaults.CommitDelayVariable] = commitDelay == 0 ? null : $"{commitDelay}" },
            "node", "--cluster", redisUrl, "--cluster-id", clusterId,
            "--silo-port", $"{RedisServer.FreePort()}", "--gateway-port", $"{RedisServer.FreePort()}"));
        await node.Process.WaitForStdoutAsync("^joined cluster ", TimeSpan.FromSeconds(90));
        return node;
    }

    /// <summary>How many times this node has taken the job's ingest.</summary>
    public int IngestsTaken(string job) =>
        Regex.Count(Process.Stdout, $"^job {Regex.Escape(job)}: reading its input", RegexOptions.Multiline);

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
