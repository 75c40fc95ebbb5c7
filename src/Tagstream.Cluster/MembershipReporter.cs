using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Tagstream.Cluster;

/// <summary>Prints one line each time a member of the cluster changes state (joins, leaves, is declared dead).</summary>
internal sealed class MembershipReporter(IClusterMembershipService membership, ILocalSiloDetails self, ClusterLog log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var known = new Dictionary<SiloAddress, SiloStatus>();
        try
        {
            await foreach (ClusterMembershipSnapshot snapshot in
                membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                foreach ((SiloAddress address, ClusterMember member) in snapshot.Members)
                {
                    if (address.Equals(self.SiloAddress) || (known.TryGetValue(address, out SiloStatus before) && before == member.Status))
                    {
                        continue;
                    }

                    bool first = !known.ContainsKey(address);
                    known[address] = member.Status;
                    if (first && member.Status == SiloStatus.Dead)
                    {
                        continue; // an old member's row, long gone
                    }

                    log.Line($"member {address.Endpoint} is {Describe(member.Status)}");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is leaving.
        }
    }

    private static string Describe(SiloStatus status) => status switch
    {
        SiloStatus.Active => "active",
        SiloStatus.Joining or SiloStatus.Created => "joining",
        SiloStatus.ShuttingDown or SiloStatus.Stopping => "leaving",
        SiloStatus.Dead => "dead",
        _ => status.ToString().ToLowerInvariant(),
    };
}
