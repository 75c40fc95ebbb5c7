using System.Net;

namespace Tagstream.Cluster;

/// <summary>How a node joins its cluster.</summary>
/// <param name="Address">The Redis server that holds the membership and the state.</param>
/// <param name="ClusterId">The cluster's id.</param>
/// <param name="Advertise">The address the node listens on and gives the others (loopback unless told otherwise).</param>
/// <param name="SiloPort">The port other nodes reach this one on.</param>
/// <param name="GatewayPort">The port clients reach this node on.</param>
internal sealed record ClusterNodeOptions(ClusterAddress Address, string ClusterId, IPAddress Advertise, int SiloPort, int GatewayPort)
{
    public const int DefaultSiloPort = 11111;

    public const int DefaultGatewayPort = 30000;

    /// <summary>The version a node must share with the cluster's other nodes to join it.</summary>
    public static string Version { get; } = typeof(ClusterNodeOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
