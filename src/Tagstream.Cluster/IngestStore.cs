using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Tagstream.Cluster;

/// <summary>
/// An input's progress in Redis: the planned batch (its input range, written before its changes leave the node) and the
/// last committed batch, both written only by the ingest activation that holds the newest epoch.
/// </summary>
internal sealed class IngestStore
{
    /// <summary>Committed batches kept for viewers that fall behind; older ones are dropped.</summary>
    public const int KeptResults = 1000;

    // KEYS: epoch, plan, error. ARGV: epoch, plan. A job that was stopped (or failed) takes no more batches.
    private const string PlanScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
        redis.call('SET', KEYS[2], ARGV[2])
        return 1
        """;

    // KEYS: epoch, plan, commit, results, running, error. ARGV: epoch, batch, commit, batch to drop, final, job.
    private const string CommitScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('EXISTS', KEYS[6]) == 1 then return 0 end
        redis.call('SET', KEYS[3], ARGV[3])
        redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
        redis.call('HDEL', KEYS[4], ARGV[4])
        redis.call('DEL', KEYS[2])
        if ARGV[5] == '1' then redis.call('SREM', KEYS[5], ARGV[6]) end
        return 1
        """;

    private readonly IDatabase _redis;
    private readonly ClusterKeys _keys;
    private readonly string _job;

    public IngestStore(IDatabase redis, ClusterKeys keys, string job)
    {
        _redis = redis;
        _keys = keys;
        _job = job;
    }

    /// <summary>Takes the next epoch: from now on, plans and commits with an older epoch are refused.</summary>
    public async Task<long> ClaimAsync() => await _redis.StringIncrementAsync(_keys.IngestEpoch(_job)).ConfigureAwait(false);

    /// <summary>The last committed batch and the planned one, if any; read after <see cref="ClaimAsync"/>, they are final.</summary>
    public async Task<(CommittedBatch? Committed, BatchPlan? Planned)> LoadAsync()
    {
        RedisValue[] values = await _redis.StringGetAsync([_keys.Commit(_job), _keys.Plan(_job)]).ConfigureAwait(false);
        CommittedBatch? committed =
            values[0].IsNull ? null : JsonSerializer.Deserialize((byte[])values[0]!, ClusterJson.Default.CommittedBatch);
        BatchPlan? planned = values[1].IsNull ? null : JsonSerializer.Deserialize((byte[])values[1]!, ClusterJson.Default.BatchPlan);
        return (committed, planned);
    }

    /// <summary>Makes a batch's input range durable; false when a newer activation holds the epoch or the job was stopped.</summary>
    public async Task<bool> PlanAsync(long epoch, BatchPlan plan)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(plan, ClusterJson.Default.BatchPlan);
        RedisKey[] keys = [_keys.IngestEpoch(_job), _keys.Plan(_job), _keys.Error(_job)];
        var reply = await _redis.ScriptEvaluateAsync(PlanScript, keys, [epoch, json]).ConfigureAwait(false);
        return (long)reply == 1;
    }

    /// <summary>
    /// Records a batch as committed (and the job as done with its final batch); false when a newer activation holds the
    /// epoch or the job was stopped.
    /// </summary>
    public async Task<bool> CommitAsync(long epoch, CommittedBatch batch)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(batch, ClusterJson.Default.CommittedBatch);
        RedisKey[] keys =
        [
            _keys.IngestEpoch(_job), _keys.Plan(_job), _keys.Commit(_job), _keys.Results(_job), _keys.Running, _keys.Error(_job),
        ];
        RedisValue[] arguments = [epoch, batch.Batch, json, batch.Batch - KeptResults, batch.Final ? "1" : "0", _job];
        var reply = await _redis.ScriptEvaluateAsync(CommitScript, keys, arguments).ConfigureAwait(false);
        return (long)reply == 1;
    }

    /// <summary>Stops the job for good with one line saying why (its input cannot be read, or it was stopped); viewers show it.</summary>
    public async Task FailAsync(string message)
    {
        ITransaction transaction = _redis.CreateTransaction();
        _ = transaction.StringSetAsync(_keys.Error(_job), message);
        _ = transaction.SetRemoveAsync(_keys.Running, _job);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    /// <summary>A committed batch kept for viewers, or null when it is not (not yet committed, or dropped).</summary>
    public async Task<CommittedBatch?> ResultAsync(long batch)
    {
        RedisValue value =
            await _redis.HashGetAsync(_keys.Results(_job), batch.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        return value.IsNull ? null : JsonSerializer.Deserialize((byte[])value!, ClusterJson.Default.CommittedBatch);
    }

    /// <summary>The line the job stopped with, or null while it has not failed.</summary>
    public async Task<string?> ErrorAsync() => await _redis.StringGetAsync(_keys.Error(_job)).ConfigureAwait(false);
}
