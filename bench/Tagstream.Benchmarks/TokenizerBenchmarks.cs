using BenchmarkDotNet.Attributes;
using Tagstream.Counting;
using Tagstream.Sources.Synthetic;

namespace Tagstream.Benchmarks;

/// <summary>
/// The tokenizer alone (vector scan, bit walk, hashing, routing to shard buffers) over 1 MiB of lines:
/// <c>zipf</c> is <see cref="ZipfStream"/> (about 10 % of tokens with accents or CJK, no emoji), <c>standard</c> is
/// what <c>tagstream gen</c> writes for the standard data set (seed 42, Zipf 1.1 over 1 M tags: about 10 % of tokens
/// non-ASCII, a tenth of those with an emoji whose lead byte E2 Unicode whitespace also uses), <c>heavy</c> is
/// <see cref="UnicodeHeavyStream"/> (three tokens in four non-ASCII, some Unicode whitespace).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MaxColumn]
public unsafe class TokenizerBenchmarks
{
    private const int Size = 1 << 20;

    private byte[] _chunk = [];
    private WorkerState _worker = null!;

    [Params(1, 2)]
    public int Shards { get; set; }

    [Params("zipf", "standard", "heavy")]
    public string Data { get; set; } = "zipf";

    [GlobalSetup]
    public void Setup()
    {
        var lines = Data switch
        {
            "zipf" => new ZipfStream(1_000_000, 1.1, seed: 42).Generate(Size),
            "standard" => Standard(Size),
            "heavy" => new UnicodeHeavyStream(100_000, seed: 42).Generate(Size),
            _ => throw new ArgumentException($"Unknown data '{Data}'."),
        };
        _chunk = Chunks.OfWholeLines(lines, Size)[0].ToArray();
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

    /// <summary>The first posts of <c>tagstream gen</c>'s stream with its default options.</summary>
    private static byte[] Standard(int bytes)
    {
        var source = new SyntheticSource(new SyntheticOptions());
        var lines = new byte[bytes + 1024];
        var length = 0;
        for (long post = 0; length < bytes; post++)
        {
            length += source.WriteLine(post, lines.AsSpan(length));
        }

        return lines[..length];
    }
}
