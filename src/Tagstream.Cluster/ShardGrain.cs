using System.Globalization;
using Orleans.Placement;
using StackExchange.Redis;

namespace Tagstream.Cluster;

/// <summary>
/// A shard of a job's totals. It keeps nothing in memory: every batch goes to the store in one atomic script, fenced
/// by the epoch this activation claimed, so two activations of one shard (Orleans allows them while a silo is failing)
/// can never both write, and a batch delivered twice is applied once. Placed at random, so that a job's shards (and the
/// Redis calls they make) spread over the members rather than gather where the ingest runs.
/// </summary>
[RandomPlacement]
internal sealed class ShardGrain(IConnectionMultiplexer redis, ClusterKeys keys) : Grain, IShardGrain
{
    private ShardStore? _store;
    private long _epoch;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string key = this.GetPrimaryKeyString();
        int slash = key.LastIndexOf('/');
        _store = new ShardStore(redis.GetDatabase(), keys, key[..slash], int.Parse(key.AsSpan(slash + 1), CultureInfo.InvariantCulture));
        _epoch = await _store.ClaimAsync().ConfigureAwait(true);
    }

    public async Task<ShardTop> ApplyAsync(ShardChanges changes, int top)
    {
        (ShardApplyStatus status, ShardTop? result) = await _store!.ApplyAsync(_epoch, changes, top).ConfigureAwait(true);
        if (status == ShardApplyStatus.Fenced)
        {
            DeactivateOnIdle();
            throw new ShardFencedException();
        }

        return result!;
    }
}
