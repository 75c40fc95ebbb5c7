using BenchmarkDotNet.Attributes;
using Tagstream.Counting;

namespace Tagstream.Benchmarks;

/// <summary>The tokenizer alone (vector scan, bit walk, hashing, routing to shard buffers) over 1 MiB of Zipf lines.</summary>
[MemoryDiagnoser]
public unsafe class TokenizerBenchmarks
{
    private byte[] _chunk = [];
    private WorkerState _worker = null!;

    [Params(1, 2)]
    public int Shards { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _chunk = Chunks.OfWholeLines(new ZipfStream(1_000_000, 1.1, seed: 42).Generate(1 << 20), 1 << 20)[0].ToArray();
        _worker = new WorkerState(Shards, degenerateHash: false);
        _worker.Reserve(_chunk.Length);
    }

    [Benchmark(Description = "Tokenize 1 MiB")]
    public long Tokenize()
    {
        fixed (byte* chunk = _chunk)
        {
            Tokenizer.Tokenize(chunk, _chunk.Length, 0, _chunk.Length, _worker);
        }

        var tokens = 0L;
        foreach (var buffer in _worker.ByShard)
        {
            tokens += buffer.Count;
            buffer.Clear();
        }

        return tokens;
    }
}
