using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Tagstream.Sources.Lines;

namespace Tagstream.Counting;

/// <summary>
/// Counts chunks of whole lines into one <see cref="CountingTable"/> per worker (shard), with long-lived threads.
/// <para>
/// A chunk is cut at ASCII whitespace into steps of one slice per worker, and each step does two things at once:
/// every worker w tokenizes and hashes its slice of this step into one of its two sets of token buffers (one buffer
/// per shard), and counts, into shard w only, the tokens that all workers put in their other set, for shard w, in the
/// step before. The calling thread (worker 0) also plans the next step's slices. One barrier ends each step; the
/// step after the last slices only counts.
/// </para>
/// <para>
/// Why one pipelined step rather than a tokenizing phase and a counting phase: each barrier makes the faster worker
/// wait for the slower one, and the sum of both kinds of work varies less between workers than either alone, with
/// half as many barriers.
/// </para>
/// <para>
/// Invariants: in step k (set p = k mod 2) worker w writes only its own <see cref="WorkerState"/>'s set p, reads
/// and clears only the buffers for shard w of every worker's set 1 - p, and writes only shard w's table; the slices
/// of step k are read from <see cref="_slices"/>[p] and worker 0 writes those of step k + 1 into
/// <see cref="_slices"/>[1 - p]; <see cref="_lastStep"/> is written by worker 0 only. Everything written in a step is
/// read only after the barrier that ends it. So no two threads ever touch the same data within a step, and the
/// barriers order everything else. Between chunks the extra threads sleep on a semaphore, and every table and buffer
/// belongs to the calling thread.
/// </para>
/// </summary>
internal sealed unsafe class CountingEngine : IDisposable
{
    private readonly CounterTuning _tuning;
    private readonly SpinBarrier _barrier;
    private readonly SemaphoreSlim _start = new(0);
    private readonly Thread[] _threads;
    private readonly (int Start, int End)[][] _slices;
    private byte* _chunk;
    private int _chunkLength;
    private int _next;
    private int _lastStep;
    private volatile bool _disposed;
    private Exception? _failure;
    private Action<CountingTable>? _shardAction;
    private int _busy;

    public CountingEngine(int workers, CounterTuning tuning)
    {
        _tuning = tuning;
        Shards = new CountingTable[workers];
        Workers = new WorkerState[workers];
        for (var i = 0; i < workers; i++)
        {
            Shards[i] = new CountingTable(tuning.InitialCapacity, tuning.DegenerateHash);
            Workers[i] = new WorkerState(workers, tuning.DegenerateHash);
        }

        _barrier = new SpinBarrier(workers);
        _slices = [new (int, int)[workers], new (int, int)[workers]];
        _threads = new Thread[workers - 1];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"Tagstream counting worker {i + 1}" };
            _threads[i].Start(i + 1);
        }
    }

    public CountingTable[] Shards { get; }

    public WorkerState[] Workers { get; }

    public void Count(byte* chunk, int length)
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("A HashtagCounter is not thread-safe: Count was called while another call was running.");
        }

        try
        {
            if (Workers.Length == 1 || length < _tuning.ParallelThreshold)
            {
                CountSerially(chunk, length);
            }
            else
            {
                CountInParallel(chunk, length);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on every shard, each on its own worker (the batch passes over the dirty lists
    /// touch one shard's memory only, so they split like the counting of tokens).
    /// </summary>
    public void ForEachShard(Action<CountingTable> action)
    {
        if (Workers.Length == 1)
        {
            action(Shards[0]);
            return;
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("A HashtagCounter is not thread-safe: it was used while another call was running.");
        }

        try
        {
            _shardAction = action;
            _failure = null;
            _start.Release(_threads.Length);
            RunShardAction(0);
            _shardAction = null;
            if (_failure is not null)
            {
                ExceptionDispatchInfo.Throw(_failure);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _start.Release(_threads.Length + 1);
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var shard in Shards)
        {
            shard.Dispose();
        }

        _start.Dispose();
    }

    private void CountSerially(byte* chunk, int length)
    {
        var worker = Workers[0];
        for (var start = 0; start < length;)
        {
            var end = Tokenizer.NextCut(chunk, Math.Min(start + _tuning.RoundBytes, length), length);
            Debug.Assert(end == length || TokenRule.IsAsciiWhitespace(chunk[end]), "Rounds are cut at whitespace, never inside a token.");
            worker.Reserve(end - start);
            Tokenizer.Tokenize(chunk, length, start, end, worker);
            for (var s = 0; s < Shards.Length; s++)
            {
                var buffer = worker.ByShard[s];
                Shards[s].CountTokens(chunk, length, buffer.Items);
                buffer.Clear();
            }

            start = end;
        }
    }

    private void CountInParallel(byte* chunk, int length)
    {
        _chunk = chunk;
        _chunkLength = length;
        _next = 0;
        _failure = null;
        _lastStep = int.MaxValue;
        var planned = PlanStep(_slices[0]);
        Debug.Assert(planned, "A chunk above the parallel threshold has a first step.");
        _start.Release(_threads.Length);
        Run(0);
        _chunk = null;
        if (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }
    }

    private void WorkerLoop(object? state)
    {
        var worker = (int)state!;
        while (true)
        {
            _start.Wait();
            if (_disposed)
            {
                return;
            }

            // Written by the calling thread before it released the semaphore; cleared only after the job's barrier.
            if (_shardAction is not null)
            {
                RunShardAction(worker);
            }
            else
            {
                Run(worker);
            }
        }
    }

    private void Run(int worker)
    {
        for (var step = 0; ; step++)
        {
            Guard(worker, step, static (engine, w, k) =>
            {
                var set = k & 1;

                // Count the previous step's tokens for this worker's shard, then tokenize this step's slice.
                var shard = engine.Shards[w];
                foreach (var state in engine.Workers)
                {
                    var buffer = state.Set(1 - set)[w];
                    shard.CountTokens(engine._chunk, engine._chunkLength, buffer.Items);
                    buffer.Clear();
                }

                var (start, end) = engine._slices[set][w];
                if (end > start)
                {
                    var own = engine.Workers[w];
                    own.Fill(set);
                    own.Reserve(end - start);
                    Tokenizer.Tokenize(engine._chunk, engine._chunkLength, start, end, own);
                }

                if (w == 0 && !engine.PlanStep(engine._slices[1 - set]))
                {
                    // Nothing left to tokenize: the next step only counts this one's tokens, and is the last.
                    engine._lastStep = Math.Min(engine._lastStep, k + 1);
                }
            });
            _barrier.SignalAndWait();

            // A failure is recorded only inside a step, so after the barrier every thread sees the same value.
            if (step == _lastStep || Volatile.Read(ref _failure) is not null)
            {
                // Everyone has read _lastStep before anyone can return and let the next chunk reset it.
                _barrier.SignalAndWait();
                return;
            }
        }
    }

    private void RunShardAction(int worker)
    {
        Guard(worker, 0, static (engine, w, _) => engine._shardAction!(engine.Shards[w]));
        _barrier.SignalAndWait();
    }

    private void Guard(int worker, int step, Action<CountingEngine, int, int> work)
    {
        try
        {
            if (Volatile.Read(ref _failure) is null)
            {
                work(this, worker, step);
            }
        }
        catch (Exception exception)
        {
            // Keep arriving at the barriers so no thread waits forever; the calling thread rethrows at the end.
            Interlocked.CompareExchange(ref _failure, exception, null);
        }
    }

    /// <summary>Cuts the next slice of each worker from the rest of the chunk into <paramref name="slices"/>.</summary>
    /// <returns>Whether any slice is not empty.</returns>
    private bool PlanStep((int Start, int End)[] slices)
    {
        var any = false;
        for (var w = 0; w < slices.Length; w++)
        {
            var start = _next;
            var end = start >= _chunkLength
                ? _chunkLength
                : Tokenizer.NextCut(_chunk, Math.Min(start + _tuning.RoundBytes, _chunkLength), _chunkLength);
            Debug.Assert(end == _chunkLength || TokenRule.IsAsciiWhitespace(_chunk[end]), "Slices are cut at whitespace, never inside a token.");
            slices[w] = (start, end);
            any |= end > start;
            _next = end;
        }

        return any;
    }
}
