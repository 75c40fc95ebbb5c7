using System.Collections.Immutable;
using System.Threading.Channels;
using Tagstream.Sources;
using Tagstream.State;

namespace Tagstream.Streaming;

/// <summary>
/// The streaming job of the original notebook: reads a source, counts every hashtag exactly, closes a batch every
/// interval and hands each batch's result to the attached sinks.
/// </summary>
/// <remarks>
/// <para>
/// One loop reads and counts; it checks the clock after every chunk and, when the source is quiet, wakes at the
/// batch deadline, so batches close on time whether or not data flows. Closing a batch costs time proportional to
/// the hashtags counted in it. Results go to the sinks through an unbounded queue served by one task, so a slow
/// sink delays the other sinks but never the counting.
/// </para>
/// <para>
/// Batch times are processing time: when the batch closed.
/// </para>
/// </remarks>
public sealed class HashtagJob : IAsyncDisposable
{
    private readonly Func<SourcePosition?, PostSource> _openSource;
    private readonly HashtagJobOptions _options;
    private readonly Channel<BatchResult> _results = Channel.CreateUnbounded<BatchResult>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private ImmutableArray<IBatchSink> _sinks = [];
    private readonly IProgress<SourceStatus>? _status;
    private PostSource? _source;
    private JobState? _state;
    private long _deadline;
    private int _started;

    /// <summary>Creates a job over <paramref name="source"/>, which the job disposes.</summary>
    /// <remarks>With a checkpoint folder, use the other constructor so the source can resume where the checkpoint ends.</remarks>
    /// <exception cref="ArgumentException">The options are not valid; the message says why.</exception>
    public HashtagJob(PostSource source, HashtagJobOptions? options = null, IProgress<SourceStatus>? status = null)
        : this(_ => source ?? throw new ArgumentNullException(nameof(source)), options, status)
    {
        ArgumentNullException.ThrowIfNull(source);
    }

    /// <summary>
    /// Creates a job that opens its source when it starts, at the position recovered from the checkpoint folder
    /// (null when there is none), so that a restarted job continues exactly after its last committed batch.
    /// </summary>
    /// <param name="openSource">Opens the source at a position; the job disposes the source.</param>
    /// <param name="options">How to batch, rank, checkpoint and query.</param>
    /// <param name="status">Receives recovery messages, one line each.</param>
    /// <exception cref="ArgumentException">The options are not valid; the message says why.</exception>
    public HashtagJob(Func<SourcePosition?, PostSource> openSource, HashtagJobOptions? options = null, IProgress<SourceStatus>? status = null)
    {
        ArgumentNullException.ThrowIfNull(openSource);
        options ??= new HashtagJobOptions();
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _openSource = openSource;
        _options = options;
        _status = status;
    }

    /// <summary>The last batch delivered, or null before the first.</summary>
    public BatchResult? LastBatch { get; private set; }

    /// <summary>Attaches a sink; it receives every batch that closes from now on.</summary>
    public void AddSink(IBatchSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ImmutableInterlocked.Update(ref _sinks, static (sinks, s) => sinks.Add(s), sink);
    }

    /// <summary>Detaches a sink; it receives no batch after the one it may be handling now.</summary>
    /// <returns>False when the sink was not attached.</returns>
    public bool RemoveSink(IBatchSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        bool removed = false;
        ImmutableInterlocked.Update(ref _sinks, (sinks, s) =>
        {
            ImmutableArray<IBatchSink> without = sinks.Remove(s);
            removed = without.Length != sinks.Length;
            return without;
        }, sink);
        return removed;
    }

    /// <summary>
    /// Recovers the checkpoint if there is one, opens the source, and counts until the source ends or
    /// <paramref name="cancellationToken"/> is cancelled. Either way the open batch is closed as the last one,
    /// committed, and delivered to every sink before this returns. A sink that throws stops the counting, and its
    /// exception is thrown from here once the last batch is committed.
    /// </summary>
    /// <exception cref="CheckpointException">The checkpoint folder cannot be used; the message says why.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A job runs once.");
        }

        Open();

        // A sink that fails (its reader gone, a full disk) stops the counting: the failure reaches the caller at once
        // instead of after a source that may never end.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task delivery = DeliverAsync(stop);
        try
        {
            await CountAsync(stop.Token).ConfigureAwait(false);
            await _state!.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _results.Writer.TryComplete();
            await delivery.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Recovers the checkpoint, if any, and opens the source at the recovered position, so that a problem with either
    /// shows before anything else starts. <see cref="RunAsync"/> does this itself when it has not been done.
    /// </summary>
    /// <exception cref="CheckpointException">The checkpoint folder cannot be used; the message says why.</exception>
    public void Open()
    {
        if (_state is not null)
        {
            return;
        }

        var state = new JobState(_options, _status);
        try
        {
            _source = _openSource(state.ResumeAt);
        }
        catch
        {
            state.Dispose();
            throw;
        }

        _state = state;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _state?.Dispose();
        if (_source is not null)
        {
            await _source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task CountAsync(CancellationToken cancellationToken)
    {
        TimeProvider time = _options.TimeProvider;
        _deadline = time.GetTimestamp() + IntervalTicks(time);
        try
        {
            while (true)
            {
                // A fast source completes reads at once and never sees the token: check it here.
                cancellationToken.ThrowIfCancellationRequested();
                ValueTask<PostChunk> read = _source!.ReadAsync(cancellationToken);
                PostChunk chunk = read.IsCompleted
                    ? await read.ConfigureAwait(false)
                    : await WaitClosingBatchesAsync(read.AsTask(), cancellationToken).ConfigureAwait(false);
                _state!.Count(chunk);
                if (chunk.IsFinal)
                {
                    break;
                }

                if (_state.StartingPositionToCommit)
                {
                    // Durable before the source is read again: a socket source asks for its first line only then.
                    CloseBatch();
                    await _state.FlushAsync().ConfigureAwait(false);
                }
                else if (time.GetTimestamp() >= _deadline)
                {
                    CloseBatch(atDeadline: true);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the user: what was counted so far still makes the last batch.
        }

        CloseBatch();
    }

    // The source is quiet: close batches at their deadlines while waiting for it.
    private async Task<PostChunk> WaitClosingBatchesAsync(Task<PostChunk> pending, CancellationToken cancellationToken)
    {
        TimeProvider time = _options.TimeProvider;
        while (true)
        {
            TimeSpan wait = time.GetElapsedTime(time.GetTimestamp(), _deadline);
            if (wait > TimeSpan.Zero)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Task delay = Task.Delay(wait, time, timer.Token);
                if (await Task.WhenAny(pending, delay).ConfigureAwait(false) == pending)
                {
                    await timer.CancelAsync().ConfigureAwait(false);
                    return await pending.ConfigureAwait(false);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            CloseBatch(atDeadline: true);
        }
    }

    /// <param name="atDeadline">
    /// True when the batch closes because its time came (its lag is measured), false for a batch closed early: the
    /// last batch of an ended source, or the commit of a starting position.
    /// </param>
    private void CloseBatch(bool atDeadline = false)
    {
        TimeProvider time = _options.TimeProvider;
        long now = time.GetTimestamp();
        BatchResult result = _state!.CloseBatch(_source!.Name);
        if (atDeadline)
        {
            // A timer may fire a fraction of a millisecond before the deadline's exact tick: that is no lag.
            TimeSpan lag = time.GetElapsedTime(_deadline, now);
            JobMetrics.BatchLag.Record(Math.Max(0, lag.TotalSeconds), JobMetrics.SourceTag(result.Source));
        }

        _deadline = NextDeadline(_deadline, _options.TimeProvider);
        LastBatch = result;
        _results.Writer.TryWrite(result);
    }

    private async Task DeliverAsync(CancellationTokenSource stopCounting)
    {
        try
        {
            await foreach (BatchResult batch in _results.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                foreach (IBatchSink sink in _sinks)
                {
                    await sink.OnBatchAsync(batch, CancellationToken.None).ConfigureAwait(false);
                }
            }

            foreach (IBatchSink sink in _sinks)
            {
                await sink.OnCompletedAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch
        {
            await stopCounting.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private long IntervalTicks(TimeProvider time) => (long)(_options.Interval.TotalSeconds * time.TimestampFrequency);

    // The next deadline keeps the cadence; after a stall longer than an interval it restarts from now rather than
    // closing a burst of empty batches.
    private long NextDeadline(long deadline, TimeProvider time)
    {
        long next = deadline + IntervalTicks(time);
        long now = time.GetTimestamp();
        return next > now ? next : now + IntervalTicks(time);
    }
}
