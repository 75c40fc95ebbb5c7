using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Tagstream.Counting;

namespace Tagstream.Benchmarks;

/// <summary>
/// Closing a batch: folding the in-batch counts into totals and updating the top 1000, after a batch of 8 MiB of
/// Zipf(1.1) lines over 10 k or 1 M distinct tags. Cost grows with the tags touched, not with all tags.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet frees it in [GlobalCleanup].")]
public class TopNBenchmarks
{
    private byte[] _batch = [];
    private HashtagCounter _counter = null!;

    [Params(10_000, 1_000_000)]
    public int Distinct { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var stream = new ZipfStream(Distinct, 1.1, seed: 42);
        _counter = new HashtagCounter(new CounterOptions { Workers = 1, TopCapacity = 1000 });
        _counter.Count(stream.Generate(32 << 20));
        _counter.CloseBatch();
        _batch = stream.Generate(8 << 20);
    }

    [GlobalCleanup]
    public void Cleanup() => _counter.Dispose();

    [IterationSetup]
    public void CountBatch() => _counter.Count(_batch);

    [Benchmark(Description = "CloseBatch + Top(20) after 8 MiB")]
    [InvocationCount(1)]
    public int CloseBatchAndTop()
    {
        _counter.CloseBatch();
        return _counter.Top(20).Count;
    }
}
