using Xunit;

namespace Tagstream.Tests.Cluster;

/// <summary>The tests that start a Redis and node processes: one at a time, so that a 2-core machine runs a cluster at most.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterSerial
{
    public const string Name = "Cluster";
}
