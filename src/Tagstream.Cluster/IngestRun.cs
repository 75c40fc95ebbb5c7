using System.Globalization;
using System.Text;
using StackExchange.Redis;
using Tagstream.Counting;
using Tagstream.Sources;

namespace Tagstream.Cluster;

/// <summary>
/// Reads a job's input and counts it in batches, exactly once across failures. Each batch is added up locally by a
/// <see cref="HashtagCounter"/>; when it closes, its input range is made durable (a <see cref="BatchPlan"/>) before its
/// changes leave the node, then each shard grain applies its share at most once, and the batch is committed with the
/// merged ranking. A run started after a failure finds the plan of a batch that was never committed and reads exactly
/// that range again, so the shards see the same batch, and the ones that already applied it ignore it.
/// </summary>
/// <remarks>
/// Every write goes through the store with the epoch this run claimed: once a newer run has claimed the input, this one
/// can neither plan nor commit, and stops. One input per job in this version (input number 0).
/// </remarks>
internal sealed class IngestRun : IAsyncDisposable
{
    private const int Input = 0;

    // The counter keeps every hashtag it has seen; past this many it is replaced by an empty one (only the batch's
    // changes matter here), which bounds the ingest's memory whatever the vocabulary.
    private const long MaxCounterTags = 4_000_000;

    private readonly JobSpec _spec;
    private readonly IngestStore _store;
    private readonly IInputOpener _opener;
    private readonly IGrainFactory _grains;
    private readonly ClusterLog _log;
    private readonly TimeProvider _time;
    private readonly ClusterFaults _faults;
    private readonly CancellationTokenSource _stop = new();
    private readonly ShardChangesWriter[] _writers;
    private HashtagCounter _counter = NewCounter();
    private string _sourceName = "";
    private long _epoch;
    private long _batch;
    private SourcePosition? _start;
    private SourcePosition? _end;
    private long _totalPosts;
    private long _totalTags;
    private long _malformed;
    private long _countedPosts;
    private long _countedTags;
    private long _countedMalformed;
    private long _skippedLines;
    private long _deadline;
    private bool _redisLost;
    private int _disposed;

    public IngestRun(
        JobSpec spec, IngestStore store, IInputOpener opener, IGrainFactory grains, ClusterLog log, TimeProvider time, ClusterFaults faults)
    {
        _faults = faults;
        _spec = spec;
        _store = store;
        _opener = opener;
        _grains = grains;
        _log = log;
        _time = time;
        _writers = new ShardChangesWriter[spec.Shards];
        for (var i = 0; i < _writers.Length; i++)
        {
            _writers[i] = new ShardChangesWriter();
        }
    }

    /// <summary>Completes when the run ends: the input ended, the job failed, a newer run took over, or it was stopped.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops reading; what was counted since the last commit is read again by the next run.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Completion.ConfigureAwait(false);
        _counter.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// The length of the first lines of <paramref name="lines"/> that take the input from <paramref name="before"/> to
    /// <paramref name="target"/>: as many lines, or bytes, as the offsets differ by.
    /// </summary>
    /// <exception cref="IOException">The lines cannot end there: the input is not the one the batch was planned on.</exception>
    internal static int CutLength(ReadOnlySpan<byte> lines, long skippedLines, long before, long target, OffsetUnit unit)
    {
        long steps = target - before;
        if (steps >= 0 && skippedLines == 0)
        {
            if (unit == OffsetUnit.Bytes)
            {
                if (steps <= lines.Length && (steps == 0 || lines[(int)steps - 1] == (byte)'\n'))
                {
                    return (int)steps;
                }
            }
            else
            {
                var length = 0;
                for (long line = 0; line < steps; line++)
                {
                    int newline = lines[length..].IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        length = -1;
                        break;
                    }

                    length += newline + 1;
                }

                if (length >= 0)
                {
                    return length;
                }
            }
        }

        throw new IOException(string.Create(
            CultureInfo.InvariantCulture,
            $"The input cannot be read again exactly from offset {before} to {target}: it is not the input the batch was read from."));
    }

    private static HashtagCounter NewCounter() => new(new CounterOptions { TopCapacity = 1 });

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            _epoch = await RetryAsync(_store.ClaimAsync, cancellationToken).ConfigureAwait(false);
            (CommittedBatch? last, BatchPlan? planned) = await RetryAsync(_store.LoadAsync, cancellationToken).ConfigureAwait(false);
            if (last is { Final: true })
            {
                return;
            }

            _batch = (last?.Batch ?? 0) + 1;
            _start = _end = last?.End;
            (_totalPosts, _totalTags, _malformed) = last is null ? default : (last.TotalPosts, last.TotalTags, last.Malformed);
            BatchPlan? replay = planned?.Batch == _batch ? planned : null;
            _log.Line(string.Create(
                CultureInfo.InvariantCulture,
                $"job {_spec.Name}: reading its input from batch {_batch}{(replay is null ? "" : ", first the range planned for it")}"));

            PostSource source;
            try
            {
                source = _opener.Open(_spec, _end);
            }
            catch (IOException e)
            {
                await FailAsync(e.Message, cancellationToken).ConfigureAwait(false);
                return;
            }

            await using (source.ConfigureAwait(false))
            {
                _sourceName = source.Name;
                await CountAsync(source, replay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped (deactivated, or another run took over): the next run continues from the last commit.
        }
        catch (IOException e)
        {
            await FailAsync(e.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Not this run's to fix: the run ends, the next ping starts a new one from what Redis holds.
            _log.Line($"job {_spec.Name}: the ingest stopped ({OneLine(e)}); it restarts from the last commit");
        }
    }

    private async Task CountAsync(PostSource source, BatchPlan? replay, CancellationToken cancellationToken)
    {
        _deadline = _time.GetTimestamp() + IntervalTicks;
        if (replay is not null && replay.End == _start)
        {
            await CloseAsync(replay, cancellationToken).ConfigureAwait(false);
            if (replay.Final)
            {
                return;
            }

            replay = null;
        }

        PostChunk? carried = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PostChunk chunk;
            if (carried is { } rest)
            {
                chunk = rest;
                carried = null;
            }
            else
            {
                ValueTask<PostChunk> read = source.ReadAsync(cancellationToken);
                chunk = read.IsCompleted || replay is not null
                    ? await read.ConfigureAwait(false)
                    : await WaitClosingBatchesAsync(read.AsTask(), cancellationToken).ConfigureAwait(false);
            }

            if (replay?.End is { } target && chunk.Position is { } after && after.Run == target.Run && after.Offset > target.Offset)
            {
                // The planned batch ends inside this chunk: count up to its end, commit it, and keep the rest for the next.
                int cut = CutLength(chunk.Lines.Span, chunk.SkippedLines, _end?.Offset ?? 0, target.Offset, _spec.Unit);
                _counter.Count(chunk.Lines.Span[..cut]);
                _end = target;
                await CloseAsync(replay, cancellationToken).ConfigureAwait(false);
                replay = null;
                carried = new PostChunk(chunk.Lines[cut..], chunk.Posts, chunk.SkippedLines, chunk.Position, chunk.IsFinal);
                continue;
            }

            _counter.Count(chunk.Lines.Span);
            _skippedLines += chunk.SkippedLines;
            if (chunk.Position is { } position)
            {
                _end = position;
            }
            else if (!chunk.Lines.IsEmpty)
            {
                throw new IOException(
                    $"The input '{source.Name}' has no position to resume from, so a node loss could lose or repeat its posts.");
            }

            if (replay is not null)
            {
                if (_end != replay.End)
                {
                    if (chunk.IsFinal)
                    {
                        throw new IOException(string.Create(
                            CultureInfo.InvariantCulture,
                            $"The input ended before the end recorded for batch {replay.Batch}: "
                            + $"it is not the input the batch was read from."));
                    }

                    continue;
                }

                await CloseAsync(replay, cancellationToken).ConfigureAwait(false);
                if (replay.Final)
                {
                    return;
                }

                replay = null;
            }

            if (chunk.IsFinal)
            {
                await CloseAsync(null, cancellationToken, final: true).ConfigureAwait(false);
                return;
            }

            if (_time.GetTimestamp() >= _deadline)
            {
                await CloseAsync(null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The input is quiet: close batches at their deadlines while waiting for it.
    private async Task<PostChunk> WaitClosingBatchesAsync(Task<PostChunk> pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait = _time.GetElapsedTime(_time.GetTimestamp(), _deadline);
            if (wait > TimeSpan.Zero)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Task delay = Task.Delay(wait, _time, timer.Token);
                if (await Task.WhenAny(pending, delay).ConfigureAwait(false) == pending)
                {
                    await timer.CancelAsync().ConfigureAwait(false);
                    return await pending.ConfigureAwait(false);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            await CloseAsync(null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes the open batch: plans it (unless <paramref name="replayed"/> is its plan from an earlier run), has every
    /// shard apply it, and commits it. Throws <see cref="OperationCanceledException"/> when a newer run holds the input.
    /// </summary>
    private async Task CloseAsync(BatchPlan? replayed, CancellationToken cancellationToken, bool final = false)
    {
        _counter.CloseBatch();
        foreach (HashtagChange change in _counter.GetChanges())
        {
            _writers[HashtagSharding.ShardOf(change.Hashtag, _writers.Length)].Add(change.Hashtag, change.Delta);
        }

        var changes = new ShardChanges[_writers.Length];
        for (var shard = 0; shard < changes.Length; shard++)
        {
            changes[shard] = _writers[shard].Take(Input, _batch);
        }

        long posts = _counter.Posts - _countedPosts;
        long tags = _counter.Tags - _countedTags;
        long malformed = _counter.MalformedTokens - _countedMalformed + _skippedLines;
        BatchPlan plan = replayed ?? new BatchPlan(_batch, _start, _end, final);
        if (replayed is null && !await RetryAsync(() => _store.PlanAsync(_epoch, plan), cancellationToken).ConfigureAwait(false))
        {
            await StepAsideAsync().ConfigureAwait(false);
        }

        var applies = new Task<ShardTop>[changes.Length];
        for (var shard = 0; shard < changes.Length; shard++)
        {
            applies[shard] = ApplyAsync(shard, changes[shard], cancellationToken);
        }

        ShardTop[] tops = await Task.WhenAll(applies).ConfigureAwait(false);
        if (_faults.CommitDelay > TimeSpan.Zero)
        {
            await Task.Delay(_faults.CommitDelay, _time, cancellationToken).ConfigureAwait(false);
        }

        var committed = new CommittedBatch(
            _batch,
            _time.GetUtcNow(),
            _sourceName,
            posts,
            tags,
            _totalPosts + posts,
            _totalTags + tags,
            _malformed + malformed,
            tops.Sum(t => t.DistinctTags),
            Merge(tops, _spec.Top),
            plan.End,
            plan.Final,
            changes.Sum(c => (long)c.Count),
            changes.Sum(c => (long)c.Entries.Length));
        if (!await RetryAsync(() => _store.CommitAsync(_epoch, committed), cancellationToken).ConfigureAwait(false))
        {
            await StepAsideAsync().ConfigureAwait(false);
        }

        (_totalPosts, _totalTags, _malformed) = (committed.TotalPosts, committed.TotalTags, committed.Malformed);
        (_countedPosts, _countedTags, _countedMalformed, _skippedLines) = (_counter.Posts, _counter.Tags, _counter.MalformedTokens, 0);
        _start = plan.End;
        _batch++;
        _deadline = NextDeadline();
        if (_counter.DistinctTags > MaxCounterTags)
        {
            _counter.Dispose();
            _counter = NewCounter();
            (_countedPosts, _countedTags, _countedMalformed) = (0, 0, 0);
        }
    }

    private async Task<ShardTop> ApplyAsync(int shard, ShardChanges changes, CancellationToken cancellationToken)
    {
        IShardGrain grain = _grains.GetGrain<IShardGrain>(string.Create(CultureInfo.InvariantCulture, $"{_spec.Name}/{shard}"));
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await grain.ApplyAsync(changes, _spec.Top).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A node died or left with the shard on it: the call reaches a new activation once the cluster knows.
                if (attempt == 0)
                {
                    _log.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"job {_spec.Name}: batch {changes.Batch} waits for shard {shard} ({OneLine(e)}); retrying"));
                }

                await Task.Delay(Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                T result = await operation().WaitAsync(cancellationToken).ConfigureAwait(false);
                if (_redisLost)
                {
                    _redisLost = false;
                    _log.Line($"job {_spec.Name}: Redis is back; counting on where it stopped");
                }

                return result;
            }
            catch (Exception e) when (e is RedisException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                if (!_redisLost)
                {
                    _redisLost = true;
                    _log.Line($"job {_spec.Name}: Redis cannot be reached ({OneLine(e)}); nothing is committed until it is back");
                }

                await Task.Delay(Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StepAsideAsync()
    {
        _log.Line($"job {_spec.Name}: a newer reader took the input over, or the job was stopped; this one stops");
        await _stop.CancelAsync().ConfigureAwait(false);
        _stop.Token.ThrowIfCancellationRequested();
    }

    private async Task FailAsync(string message, CancellationToken cancellationToken)
    {
        _log.Line($"job {_spec.Name}: stopped: {message}");
        await RetryAsync(async () =>
        {
            await _store.FailAsync(message).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static RankedTag[] Merge(ShardTop[] tops, int top)
    {
        // A hashtag lives in one shard and each shard's list is its own top: the global top is among their union.
        var all = new List<(byte[] Hashtag, long Total)>();
        foreach (ShardTop shard in tops)
        {
            for (var i = 0; i < shard.Hashtags.Length; i++)
            {
                all.Add((shard.Hashtags[i], shard.Totals[i]));
            }
        }

        all.Sort(static (a, b) => a.Total != b.Total ? b.Total.CompareTo(a.Total) : a.Hashtag.AsSpan().SequenceCompareTo(b.Hashtag));
        var ranking = new RankedTag[Math.Min(top, all.Count)];
        for (var i = 0; i < ranking.Length; i++)
        {
            ranking[i] = new RankedTag(Encoding.UTF8.GetString(all[i].Hashtag), all[i].Total);
        }

        return ranking;
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2000, 100 << Math.Min(attempt, 5)));

    private static string OneLine(Exception e)
    {
        string message = e.Message.Split('\n', 2)[0].Trim();
        return message.Length > 200 ? message[..200] : message;
    }

    private long IntervalTicks => (long)(_spec.Interval.TotalSeconds * _time.TimestampFrequency);

    // The next deadline keeps the cadence; after a stall longer than an interval it restarts from now.
    private long NextDeadline()
    {
        long next = _deadline + IntervalTicks;
        long now = _time.GetTimestamp();
        return next > now ? next : now + IntervalTicks;
    }
}
