using System.Text;
using StackExchange.Redis;
using Tagstream.Cluster;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Cluster;

/// <summary>A shard's store against a real Redis: at most once per (input, batch), and stale activations fenced.</summary>
[Collection(ClusterSerial.Name)]
public sealed class ShardStoreTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ApplyAsync_TwoActivationsOfOneShardAtOnce_NoCountAppliedTwice(int seed)
    {
        await using RedisServer server = await RedisServer.StartAsync();
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port}");
        var keys = new ClusterKeys("test");
        var random = new Random(seed);
        var batches = Enumerable.Range(1, 40).Select(b => RandomBatch(random, b)).ToList();
        var reference = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Dictionary<string, long> batch in batches)
        {
            foreach ((string tag, long count) in batch)
            {
                reference[tag] = reference.GetValueOrDefault(tag) + count;
            }
        }

        // Two activations of the same shard (as Orleans may run while a silo is failing), each with its epoch, both sent
        // every batch, some twice, in a random interleaving; the newer one takes over at a random batch.
        var old = new ShardStore(redis.GetDatabase(), keys, "job", 3);
        long oldEpoch = await old.ClaimAsync();
        var current = new ShardStore(redis.GetDatabase(), keys, "job", 3);
        long currentEpoch = 0;
        int takeover = random.Next(1, batches.Count);
        var statuses = new List<ShardApplyStatus>();
        for (var b = 1; b <= batches.Count; b++)
        {
            if (b == takeover)
            {
                currentEpoch = await current.ClaimAsync();
            }

            ShardChanges changes = Pack(batches[b - 1], b);
            var sends = new List<Task<(ShardApplyStatus Status, ShardTop? Top)>>();
            for (var copy = random.Next(1, 4); copy > 0; copy--)
            {
                sends.Add(old.ApplyAsync(oldEpoch, changes, 10));
                if (currentEpoch != 0)
                {
                    sends.Add(current.ApplyAsync(currentEpoch, changes, 10));
                }
            }

            foreach ((ShardApplyStatus status, _) in await Task.WhenAll(sends))
            {
                statuses.Add(status);
            }
        }

        IDatabase db = redis.GetDatabase();
        SortedSetEntry[] totals = await db.SortedSetRangeByRankWithScoresAsync(keys.ShardTotals("job", 3));
        Assert.Equal(
            reference.OrderBy(p => p.Key, StringComparer.Ordinal),
            totals.Select(e => new KeyValuePair<string, long>(e.Element!, -(long)e.Score)).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Contains(ShardApplyStatus.Fenced, statuses);
        Assert.Contains(ShardApplyStatus.Duplicate, statuses);

        // After the takeover, the old activation can never write again.
        (ShardApplyStatus late, _) = await old.ApplyAsync(oldEpoch, Pack(new() { ["late"] = 1 }, batches.Count + 1), 10);
        Assert.Equal(ShardApplyStatus.Fenced, late);
    }

    [Fact]
    public async Task ApplyAsync_BatchAfterAGap_IsRefused()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        await using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port}");
        var store = new ShardStore(redis.GetDatabase(), new ClusterKeys("test"), "job", 0);
        long epoch = await store.ClaimAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ApplyAsync(epoch, Pack(new() { ["a"] = 1 }, 2), 10));
        (ShardApplyStatus status, ShardTop? top) = await store.ApplyAsync(epoch, Pack(new() { ["b"] = 2, ["a"] = 2, ["c"] = 5 }, 1), 2);

        Assert.Equal(ShardApplyStatus.Applied, status);
        Assert.Equal(3, top!.DistinctTags);
        Assert.Equal(["c", "a"], top.Hashtags.Select(h => Encoding.UTF8.GetString(h)));
        Assert.Equal([5L, 2L], top.Totals);
    }

    private static Dictionary<string, long> RandomBatch(Random random, int batch)
    {
        var changes = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = random.Next(0, 30); i > 0; i--)
        {
            string tag = random.Next(4) == 0 ? $"ünï{random.Next(50)}" : $"t{random.Next(200)}";
            changes[tag] = changes.GetValueOrDefault(tag) + random.Next(1, 1_000_000) + (batch == 7 ? (1L << 40) : 0);
        }

        return changes;
    }

    private static ShardChanges Pack(Dictionary<string, long> changes, long batch)
    {
        var writer = new ShardChangesWriter();
        foreach ((string tag, long count) in changes)
        {
            writer.Add(Encoding.UTF8.GetBytes(tag), count);
        }

        return writer.Take(0, batch);
    }
}
