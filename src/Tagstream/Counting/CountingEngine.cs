using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Tagstream.Counting;

/// <summary>
/// Counts chunks of whole lines into one <see cref="CountingTable"/> per worker (shard), with long-lived threads.
/// <para>
/// A chunk is cut at ASCII whitespace into rounds of one slice per worker. Each round has two phases:
/// (A) every worker tokenizes and hashes its own slice into one token buffer per shard; barrier;
/// (B) every worker w counts, into shard w only, the tokens that all workers put in their buffer for shard w; the
/// calling thread (worker 0) also plans the next round's slices; barrier.
/// </para>
/// <para>
/// Invariants: in phase A worker w writes only its own <see cref="WorkerState"/>; in phase B worker w writes only
/// shard w's table and clears only the buffers for shard w; slices and <see cref="_done"/> are written by worker 0
/// only, in phase B or before the workers are released, and read only after the next barrier. So no two threads
/// ever touch the same data within a phase, and the barriers order everything else. Between chunks the extra
/// threads sleep on a semaphore, and every table and buffer belongs to the calling thread.
/// </para>
/// </summary>
internal sealed unsafe class CountingEngine : IDisposable
{
    private readonly CounterTuning _tuning;
    private readonly SpinBarrier _barrier;
    private readonly SemaphoreSlim _start = new(0);
    private readonly Thread[] _threads;
    private readonly int[] _sliceStart;
    private readonly int[] _sliceEnd;
    private byte* _chunk;
    private int _chunkLength;
    private int _next;
    private bool _done;
    private volatile bool _disposed;
    private Exception? _failure;
    private int _busy;

    public CountingEngine(int workers, CounterTuning tuning)
    {
        _tuning = tuning;
        Shards = new CountingTable[workers];
        Workers = new WorkerState[workers];
        for (var i = 0; i < workers; i++)
        {
            Shards[i] = new CountingTable(tuning.InitialCapacity);
            Workers[i] = new WorkerState(workers, tuning.DegenerateHash);
        }

        _barrier = new SpinBarrier(workers);
        _sliceStart = new int[workers];
        _sliceEnd = new int[workers];
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
            Debug.Assert(end == length || Tokenizer.IsAsciiWhitespace(chunk[end]), "Rounds are cut at whitespace, never inside a token.");
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
        PlanRound();
        Debug.Assert(!_done, "A chunk above the parallel threshold has a first round.");
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

            Run(worker);
        }
    }

    private void Run(int worker)
    {
        while (true)
        {
            // Phase A: tokenize and hash this worker's slice.
            Guard(worker, static (engine, w) =>
            {
                var (start, end) = (engine._sliceStart[w], engine._sliceEnd[w]);
                if (end > start)
                {
                    engine.Workers[w].Reserve(end - start);
                    Tokenizer.Tokenize(engine._chunk, engine._chunkLength, start, end, engine.Workers[w]);
                }
            });
            _barrier.SignalAndWait();

            // Phase B: count this worker's shard from every worker's buffer; worker 0 plans the next round.
            Guard(worker, static (engine, w) =>
            {
                var shard = engine.Shards[w];
                foreach (var state in engine.Workers)
                {
                    var buffer = state.ByShard[w];
                    shard.CountTokens(engine._chunk, engine._chunkLength, buffer.Items);
                    buffer.Clear();
                }

                if (w == 0)
                {
                    engine.PlanRound();
                }
            });
            _barrier.SignalAndWait();

            // A failure is recorded only inside a phase, so after the barrier every thread sees the same value.
            if (_done || Volatile.Read(ref _failure) is not null)
            {
                // Everyone has read _done before anyone can return and let the next chunk reset it.
                _barrier.SignalAndWait();
                return;
            }
        }
    }

    private void Guard(int worker, Action<CountingEngine, int> phase)
    {
        try
        {
            if (Volatile.Read(ref _failure) is null)
            {
                phase(this, worker);
            }
        }
        catch (Exception exception)
        {
            // Keep arriving at the barriers so no thread waits forever; the calling thread rethrows at the end.
            Interlocked.CompareExchange(ref _failure, exception, null);
        }
    }

    /// <summary>Cuts the next slice of each worker from the rest of the chunk; sets <see cref="_done"/> when none is left.</summary>
    private void PlanRound()
    {
        var any = false;
        for (var w = 0; w < _sliceStart.Length; w++)
        {
            var start = _next;
            var end = start >= _chunkLength
                ? _chunkLength
                : Tokenizer.NextCut(_chunk, Math.Min(start + _tuning.RoundBytes, _chunkLength), _chunkLength);
            Debug.Assert(end == _chunkLength || Tokenizer.IsAsciiWhitespace(_chunk[end]), "Slices are cut at whitespace, never inside a token.");
            _sliceStart[w] = start;
            _sliceEnd[w] = end;
            any |= end > start;
            _next = end;
        }

        _done = !any;
    }
}
