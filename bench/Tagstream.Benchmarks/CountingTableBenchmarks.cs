using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Tagstream.Counting;

namespace Tagstream.Benchmarks;

/// <summary>
/// The probing phase alone: counting the pre-tokenized tokens of 1 MiB of Zipf(1.1) lines into one table that
/// already holds the whole vocabulary (10 k or 1 M distinct keys), so it measures lookups, not growth.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet frees it in [GlobalCleanup].")]
public unsafe class CountingTableBenchmarks
{
    private byte[] _chunk = [];
    private TokenRef[] _tokens = [];
    private CountingTable _table = null!;

    [Params(10_000, 1_000_000)]
    public int Distinct { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var stream = new ZipfStream(Distinct, 1.1, seed: 42);
        _chunk = Chunks.OfWholeLines(stream.Generate(1 << 20), 1 << 20)[0].ToArray();
        var worker = new WorkerState(1, degenerateHash: false);
        worker.Reserve(_chunk.Length);
        _table = new CountingTable(1 << 12);
        fixed (byte* chunk = _chunk)
        {
            Tokenizer.Tokenize(chunk, _chunk.Length, 0, _chunk.Length, worker);
        }

        _tokens = worker.ByShard[0].Items.ToArray();

        // Put the whole vocabulary in the table, as after a long run.
        var all = new MemoryStream();
        foreach (var tag in stream.Vocabulary)
        {
            all.Write(tag);
            all.WriteByte((byte)'\n');
        }

        var vocabulary = all.ToArray();
        var vocabularyWorker = new WorkerState(1, degenerateHash: false);
        vocabularyWorker.Reserve(vocabulary.Length);
        fixed (byte* chunk = vocabulary)
        {
            Tokenizer.Tokenize(chunk, vocabulary.Length, 0, vocabulary.Length, vocabularyWorker);
            _table.CountTokens(chunk, vocabulary.Length, vocabularyWorker.ByShard[0].Items);
        }

        _table.FoldBatch();
        _table.ResetBatch();
    }

    [GlobalCleanup]
    public void Cleanup() => _table.Dispose();

    [Benchmark(Description = "Count the tokens of 1 MiB")]
    public int CountTokens()
    {
        fixed (byte* chunk = _chunk)
        {
            _table.CountTokens(chunk, _chunk.Length, _tokens);
        }

        return _tokens.Length;
    }
}
