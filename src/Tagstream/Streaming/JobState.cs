using System.Diagnostics;
using System.Globalization;
using Tagstream.Counting;
using Tagstream.Counting.Windows;
using Tagstream.Query;
using Tagstream.Sources;
using Tagstream.State;

namespace Tagstream.Streaming;

/// <summary>
/// Everything a job keeps between batches, and what closing a batch does to it: fold the counts, feed the window,
/// the SQL mirror and the checkpoint from the batch's changes (never from all keys), and rank.
/// </summary>
/// <remarks>Used by the job's counting loop only: one thread at a time.</remarks>
internal sealed class JobState : IDisposable
{
    private readonly HashtagJobOptions _options;
    private readonly CheckpointStore? _checkpoint;
    private readonly SlidingWindow? _window;
    private readonly TrendingRanker? _trending;
    private readonly HashtagSqlMirror? _sql;
    private readonly SpaceSavingSummary? _summary;
    private HashtagCounter _counter;
    private Task _lastCommit = Task.CompletedTask;
    private TimeSpan? _lastCommitDuration;
    private long _batch;
    private long _firstBatch;
    private long _posts;
    private long _tags;
    private long _malformed;
    private long _skippedLines;

    // The counter's own figures when the last batch closed: a batch's figures are the difference, read once per
    // batch rather than around every chunk.
    private long _countedPosts;
    private long _countedTags;
    private long _countedMalformed;
    private SourcePosition? _position;

    // One buffer per shard for encoding a checkpoint's entries on the shards' own workers (see CommitByShard).
    private readonly EntryBuffer[] _shardEntries;
    private readonly ShardEntryVisitor _encodeByShard;

    /// <param name="options">The job's options.</param>
    /// <param name="status">Receives recovery's lines.</param>
    /// <param name="checkpointOptions">Compaction settings (tests use small intervals); the window's length is set here.</param>
    public JobState(HashtagJobOptions options, IProgress<SourceStatus>? status, CheckpointStoreOptions? checkpointOptions = null)
    {
        _options = options;
        _counter = NewCounter();
        _shardEntries = [.. Enumerable.Range(0, _counter.Workers).Select(_ => new EntryBuffer())];
        _encodeByShard = (shard, hashtag, total) => _shardEntries[shard].Add(hashtag, total);
        try
        {
            if (options.Window is not null)
            {
                _window = new SlidingWindow(options.WindowBatches, Math.Max(options.Top, 100));
                _trending = options.Trending ? new TrendingRanker(options.TrendingOptions) : null;
            }

            if (options.CheckpointDirectory is { } directory)
            {
                // The store keeps (and recovery rebuilds) the increments of the window's batches: docs/checkpoints.md.
                var storeOptions = (checkpointOptions ?? new CheckpointStoreOptions()) with { WindowBatches = options.WindowBatches };
                _checkpoint = CheckpointStore.Open(directory, out RecoveredCheckpoint recovered, storeOptions);
                Recover(recovered, directory, status);
            }

            if (options.Sql is { } query)
            {
                _sql = new HashtagSqlMirror(query, withWindow: _window is not null);
                LoadSqlMirror();
            }

            if (options.MaxTags is { } maxTags)
            {
                _summary = new SpaceSavingSummary(maxTags);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Where the source resumes: the position committed with the recovered batch, if any.</summary>
    public SourcePosition? ResumeAt => _position;

    public void Count(PostChunk chunk)
    {
        _counter.Count(chunk.Lines.Span);
        _skippedLines += chunk.SkippedLines;
        _position = chunk.Position ?? _position;
    }

    public BatchResult CloseBatch(string source)
    {
        if (_lastCommit.IsFaulted)
        {
            // A checkpoint that cannot be written stops the job: going on would promise durability it lacks.
            _lastCommit.GetAwaiter().GetResult();
        }

        long started = Stopwatch.GetTimestamp();
        _batch++;
        long batchPosts = _counter.Posts - _countedPosts;
        long batchTags = _counter.Tags - _countedTags;
        _posts += batchPosts;
        _tags += batchTags;
        _malformed += _counter.MalformedTokens - _countedMalformed + _skippedLines;
        (_countedPosts, _countedTags, _countedMalformed, _skippedLines) = (_counter.Posts, _counter.Tags, _counter.MalformedTokens, 0);
        _counter.CloseBatch();
        _sql?.BeginBatch();
        CheckpointBatch? commit = _checkpoint?.BeginBatch(_batch);
        if (commit is not null)
        {
            CommitByShard(commit);
        }

        if (_sql is not null || _window is not null || _summary is not null)
        {
            foreach (HashtagChange change in _counter.GetChanges())
            {
                _sql?.SetTotal(change.Hashtag, change.Total);
                _window?.Add(change.Hashtag, change.Delta);
                _summary?.Add(change.Hashtag, change.Delta);
            }
        }

        IReadOnlyList<HashtagCount>? window = null;
        IReadOnlyList<TrendingHashtag>? trending = null;
        if (_window is not null)
        {
            _window.CloseBatch();
            foreach (WindowChange change in _window.GetChanges())
            {
                _sql?.SetWindowCount(change.Hashtag, change.Count);
            }

            window = _window.Top(_options.Top);
            trending = _trending?.Rank(_window, _counter.GetTotal, _batch, _options.Top);
        }

        SqlQueryResult? sql = null;
        if (_sql is not null)
        {
            _sql.CommitBatch();
            sql = _sql.Run();
        }

        if (commit is not null)
        {
            WatchCommit(commit.CommitAsync(_position, new CheckpointCounters(_posts, _tags, _malformed), CancellationToken.None));
        }

        IReadOnlyList<HashtagCount> top = _summary is not null ? _summary.Top(_options.Top) : SqlRanking(sql) ?? _counter.Top(_options.Top);
        long distinct = _summary?.Count ?? _counter.DistinctTags;
        var result = new BatchResult
        {
            Batch = _batch,
            Time = _options.TimeProvider.GetUtcNow(),
            Source = source,
            Posts = batchPosts,
            Tags = batchTags,
            TotalPosts = _posts,
            TotalTags = _tags,
            Malformed = _malformed,
            DistinctTags = distinct,
            Top = top,
            Window = window,
            Trending = trending,
            Sql = sql,
            Approximate = _summary is not null,
            Duration = Stopwatch.GetElapsedTime(started),
            CheckpointDuration = _lastCommitDuration,
        };
        if (_summary is not null)
        {
            // Bounded memory: the exact counter holds one batch at a time; the summary carries the totals.
            _counter.Dispose();
            _counter = NewCounter();
            (_countedPosts, _countedTags, _countedMalformed) = (0, 0, 0);
        }

        return result;
    }

    // Each shard encodes its own part of the batch's changed totals on its worker, so that the workers share the pass
    // instead of both waiting for one thread to do it. When a snapshot is due, every total comes from the counter's
    // tables the same way: far cheaper than the store rebuilding it from its files in the background, which at full
    // speed takes a core away from counting.
    private void CommitByShard(CheckpointBatch commit)
    {
        Encode(_counter.VisitChangesByShard, commit.AddEncoded);
        if (commit.SnapshotDue)
        {
            Encode(_counter.VisitEntriesByShard, commit.AddEncodedToSnapshot);
        }

        void Encode(Action<ShardEntryVisitor> visitByShard, Action<EntryBuffer> add)
        {
            foreach (EntryBuffer entries in _shardEntries)
            {
                entries.Clear();
            }

            visitByShard(_encodeByShard);
            foreach (EntryBuffer entries in _shardEntries)
            {
                add(entries);
            }
        }
    }

    /// <summary>Waits until every batch closed so far is durable; rethrows a failed commit.</summary>
    public Task FlushAsync() => _lastCommit;

    public void Dispose()
    {
        _counter.Dispose();
        _sql?.Dispose();
        _checkpoint?.Dispose();
    }

    private HashtagCounter NewCounter() => new(new CounterOptions { Workers = _options.Workers, TopCapacity = Math.Max(_options.Top, 1000) });

    private void Recover(RecoveredCheckpoint recovered, string directory, IProgress<SourceStatus>? status)
    {
        foreach (string message in recovered.Messages)
        {
            status?.Report(new SourceStatus("checkpoint", SourceSeverity.Warning, message));
        }

        if (recovered.Batch == 0)
        {
            return;
        }

        _counter.EnsureCapacity(recovered.Totals.Count);
        foreach ((byte[] hashtag, long total) in recovered.Totals)
        {
            _counter.AddTotal(hashtag, total);
        }

        _batch = recovered.Batch;
        _firstBatch = recovered.Batch;
        _posts = recovered.Counters.Posts;
        _tags = recovered.Counters.Tags;
        _malformed = recovered.Counters.Malformed;
        _position = recovered.Position;
        status?.Report(new SourceStatus("checkpoint", SourceSeverity.Info, string.Create(
            CultureInfo.InvariantCulture,
            $"Recovered batch {recovered.Batch} from {directory}: {_posts:N0} posts, {_tags:N0} tags, {recovered.Totals.Count:N0} distinct hashtags{(_position is { } p ? $"; resuming {p.Run} after {p.Offset}" : "")}.")));
        if (_window is not null)
        {
            RecoverWindow(_window, recovered, status);
        }
    }

    /// <summary>
    /// Replays the recovered batches' increments into the window, batch by batch, so that the window, its top and trending
    /// equal those of a job that never stopped. The window slides by batch, so the downtime does not age it.
    /// </summary>
    private static void RecoverWindow(SlidingWindow window, RecoveredCheckpoint recovered, IProgress<SourceStatus>? status)
    {
        foreach (RecoveredBatch batch in recovered.RecentBatches)
        {
            foreach ((byte[] hashtag, long increment) in batch.Increments)
            {
                window.Add(hashtag, increment);
            }

            window.CloseBatch();
        }

        int rebuilt = recovered.RecentBatches.Count;
        long wanted = Math.Min(window.Length, recovered.Batch);
        if (rebuilt < wanted)
        {
            status?.Report(new SourceStatus("checkpoint", SourceSeverity.Warning, string.Create(
                CultureInfo.InvariantCulture,
                $"Window: only the last {rebuilt} of its {wanted} batches could be rebuilt (the deltas before batch {recovered.Batch - rebuilt + 1} are damaged or compacted away); window counts and trending cover those batches only, and are complete again from batch {recovered.Batch + window.Length - rebuilt}.")));
        }
    }

    private void LoadSqlMirror()
    {
        if (_firstBatch == 0)
        {
            return;
        }

        _sql!.BeginBatch();
        foreach (HashtagEntry entry in _counter)
        {
            _sql.SetTotal(entry.Hashtag, entry.Total);
        }

        for (int entry = 0; _window is not null && entry < _window.EntryCount; entry++)
        {
            if (_window.InWindow(entry))
            {
                _sql.SetWindowCount(_window.KeyOf(entry), _window.CountOf(entry));
            }
        }

        _sql.CommitBatch();
    }

    private void WatchCommit(Task commit)
    {
        long started = Stopwatch.GetTimestamp();
        _lastCommit = commit.ContinueWith(
            t =>
            {
                _lastCommitDuration = Stopwatch.GetElapsedTime(started);
                t.GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    // A query that returns (text, number) rows is a ranking, and replaces the native one in every output.
    private static List<HashtagCount>? SqlRanking(SqlQueryResult? sql)
    {
        if (sql is null || sql.Error is not null || sql.Columns.Count < 2)
        {
            return null;
        }

        var ranking = new List<HashtagCount>(sql.Rows.Count);
        foreach (IReadOnlyList<object?> row in sql.Rows)
        {
            if (row[0] is not string hashtag || row[1] is not (long or double))
            {
                return null;
            }

            ranking.Add(new HashtagCount(hashtag, Convert.ToInt64(row[1], CultureInfo.InvariantCulture)));
        }

        return ranking;
    }
}
