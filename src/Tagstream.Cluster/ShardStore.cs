using System.Globalization;
using StackExchange.Redis;

namespace Tagstream.Cluster;

/// <summary>
/// A shard's totals in Redis: a sorted set of hashtags scored by minus their totals, the last batch applied per input,
/// and the epoch of the shard's newest activation. One Lua script applies a batch: it checks the epoch and that the
/// batch is the input's next one, adds every count, records the batch and reads the shard's top, all atomically and
/// at a cost in the batch's distinct hashtags (each update is O(log n) in the shard's size).
/// </summary>
internal sealed class ShardStore
{
    // KEYS: totals, applied, epoch. ARGV: epoch, input, batch, top, then (hashtag, -count) pairs.
    // Returns {status, distinct, {hashtag, score, ...}}: status 1 applied, 0 applied before, -1 fenced, -2 a batch missing.
    private const string ApplyScript = """
        if redis.call('GET', KEYS[3]) ~= ARGV[1] then return {-1} end
        local last = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
        local batch = tonumber(ARGV[3])
        local status = 0
        if batch == last + 1 then
          for i = 5, #ARGV, 2 do redis.call('ZINCRBY', KEYS[1], ARGV[i + 1], ARGV[i]) end
          redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
          status = 1
        elseif batch > last + 1 then
          return {-2, last}
        end
        local top = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[4]) - 1, 'WITHSCORES')
        return {status, redis.call('ZCARD', KEYS[1]), top}
        """;

    private readonly IDatabase _redis;
    private readonly RedisKey[] _keys;

    public ShardStore(IDatabase redis, ClusterKeys keys, string job, int shard)
    {
        _redis = redis;
        _keys = [keys.ShardTotals(job, shard), keys.ShardApplied(job, shard), keys.ShardEpoch(job, shard)];
    }

    /// <summary>Takes the next epoch for a new activation: from now on, writes with an older epoch are refused.</summary>
    public async Task<long> ClaimAsync() => await _redis.StringIncrementAsync(_keys[2]).ConfigureAwait(false);

    /// <summary>Applies <paramref name="changes"/> at most once, if <paramref name="epoch"/> is still the newest.</summary>
    /// <param name="epoch">The writer's epoch, from <see cref="ClaimAsync"/>.</param>
    /// <param name="changes">The batch's changes for this shard.</param>
    /// <param name="top">How many of the shard's top hashtags to return.</param>
    /// <exception cref="InvalidOperationException">
    /// The batch is not the input's next one: an earlier batch never reached the shard.
    /// </exception>
    public async Task<(ShardApplyStatus Status, ShardTop? Top)> ApplyAsync(long epoch, ShardChanges changes, int top)
    {
        var arguments = new RedisValue[4 + (2 * changes.Count)];
        arguments[0] = epoch;
        arguments[1] = changes.Input;
        arguments[2] = changes.Batch;
        arguments[3] = top;
        var next = 4;
        changes.ForEach(arguments, (args, hashtag, delta) =>
        {
            args[next++] = hashtag.ToArray();
            args[next++] = -delta;
        });

        var reply = (RedisResult[])(await _redis.ScriptEvaluateAsync(ApplyScript, _keys, arguments).ConfigureAwait(false))!;
        var status = (long)reply[0];
        if (status == -1)
        {
            return (ShardApplyStatus.Fenced, null);
        }

        if (status == -2)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Batch {changes.Batch} of input {changes.Input} reached a shard whose last batch of it is {(long)reply[1]}."));
        }

        var ranking = (RedisResult[])reply[2]!;
        var hashtags = new byte[ranking.Length / 2][];
        var totals = new long[ranking.Length / 2];
        for (var i = 0; i < hashtags.Length; i++)
        {
            hashtags[i] = (byte[])ranking[2 * i]!;
            totals[i] = -(long)double.Parse((string)ranking[(2 * i) + 1]!, CultureInfo.InvariantCulture);
        }

        return (status == 1 ? ShardApplyStatus.Applied : ShardApplyStatus.Duplicate, new ShardTop((long)reply[1], hashtags, totals));
    }
}
