using System.Diagnostics.CodeAnalysis;
using System.Text;
using BenchmarkDotNet.Attributes;
using Tagstream.State;

namespace Tagstream.Benchmarks;

/// <summary>
/// Committing one batch's delta: encoding the changed hashtags' new totals, writing the file to a temporary name,
/// fsync, rename and folder fsync (docs/checkpoints.md). 10 k changed hashtags is a quiet batch, 1 M a batch at full
/// speed over the standard vocabulary. No snapshot is taken during the run.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet frees it in [GlobalCleanup].")]
public class CheckpointWriteBenchmarks
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"tagstream-bench-checkpoint-{Environment.ProcessId}");
    private byte[][] _keys = [];
    private CheckpointStore _store = null!;
    private long _batch;

    [Params(10_000, 1_000_000)]
    public int Changed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Keys like the standard data set's: 3-20 letters, one in eight with a two-byte letter.
        var random = new Random(42);
        _keys = new byte[Changed][];
        for (var i = 0; i < _keys.Length; i++)
        {
            var key = new StringBuilder();
            var length = random.Next(3, 21);
            while (key.Length < length)
            {
                key.Append(random.Next(8) == 0 ? 'é' : (char)('a' + random.Next(26)));
            }

            _keys[i] = Encoding.UTF8.GetBytes(key.Append(i).ToString());
        }

        _store = CheckpointStore.Open(_directory, out _, new CheckpointStoreOptions { SnapshotInterval = int.MaxValue, MinimumSnapshotEntries = long.MaxValue });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "Commit a delta (encode + write + fsync)")]
    public long CommitDelta()
    {
        var commit = _store.BeginBatch(++_batch);
        for (var i = 0; i < _keys.Length; i++)
        {
            commit.Add(_keys[i], _batch + i);
        }

        commit.Commit(new SourcePosition("file:/bench", _batch), new CheckpointCounters(_batch, _batch, 0));
        return commit.Count;
    }
}
