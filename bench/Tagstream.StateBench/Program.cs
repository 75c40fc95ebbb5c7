// Checkpoint storage benchmark (docs/checkpoints.md): Tagstream's delta/snapshot files against SQLite, for a batch delta
// of 100 k and 1 M changed keys and a recovery of 1 M keys; plus the distinct keys a batch touches at full counting
// speed, to turn commit times into a share of counting throughput.
// Run: dotnet run -c Release --project bench/Tagstream.StateBench [-- DIR [--files-only | --counting | --sql | --window | --recovery | --window-recovery]]
// --sql measures the --sql mirror's cost per batch instead; --window the sliding window's and trending's; --recovery the
// recovery of 1 M keys into the real counter; --window-recovery what keeping a window across restarts costs.
// --counting measures the counter's throughput on the synthetic stream with and without a commit per batch instead.
using System.Diagnostics;
using Tagstream;
using Tagstream.State;
using Tagstream.StateBench;

var root = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "tagstream-statebench");
var withSqlite = !args.Contains("--files-only");
if (args.Contains("--counting"))
{
    CountingWithCheckpoints.Run(root, batches: 10, postsPerBatch: 2_000_000);
    Directory.Delete(root, recursive: true);
    return;
}

const int Distinct = 1_000_000;
const int Repeats = 3;
var keys = SyntheticKeys.Create(Distinct, seed: 42);
var totals = new long[Distinct];
for (var i = 0; i < Distinct; i++)
{
    totals[i] = 1 + (i % 1000);
}

Console.WriteLine($"keys: {Distinct:N0}, mean key length {keys.Average(k => k.Length):F1} bytes; folder {root}");
if (args.Contains("--sql"))
{
    SqlMirrorCost.Run(keys, totals);
    return;
}

if (args.Contains("--recovery"))
{
    RecoveryIntoCounter.Run(WriteSnapshotAndDeltas(root, keys, totals));
    Directory.Delete(root, recursive: true);
    return;
}

if (args.Contains("--window-recovery"))
{
    WindowRecovery.Run(Fresh(root, "window-recovery"), keys);
    Directory.Delete(root, recursive: true);
    return;
}

if (args.Contains("--window"))
{
    WindowCost.Run(keys, windowLength: 30, changedPerBatch: 10_000, batches: 60);
    WindowCost.Run(keys, windowLength: 30, changedPerBatch: 100_000, batches: 60);
    return;
}

foreach (var changed in new[] { 100_000, 1_000_000 })
{
    var files = Median(() => MeasureFiles(root, keys, totals, changed));
    var sqlite = withSqlite ? Median(() => MeasureSqlite(root, keys, totals, changed)) : (Ms: double.NaN, Bytes: 0L);
    Console.WriteLine($"commit of a {changed:N0}-key delta: files {files.Ms:F0} ms ({files.Bytes / 1e6:F1} MB), sqlite {sqlite.Ms:F0} ms ({sqlite.Bytes / 1e6:F1} MB)");
}

var recoveryFiles = Median(() => MeasureFilesRecovery(root, keys, totals));
var recoverySqlite = withSqlite ? Median(() => MeasureSqliteRecovery(root, keys, totals)) : (Ms: double.NaN, Bytes: 0L);
Console.WriteLine($"recovery of {Distinct:N0} keys (snapshot + 10 deltas of 100 k): files {recoveryFiles.Ms:F0} ms; sqlite (one table) {recoverySqlite.Ms:F0} ms");
var compaction = Median(() => MeasureCompaction(root, keys, totals));
Console.WriteLine($"background compaction (snapshot of {Distinct:N0} keys from snapshot + 10 deltas): {compaction.Ms:F0} ms ({compaction.Bytes / 1e6:F1} MB)");

// How many distinct keys does a batch touch when counting runs at full speed? Zipf(1.1) over 1 M tags, as DESIGN.md.
foreach (var tagsPerBatch in new[] { 20_000_000, 200_000_000 })
{
    Console.WriteLine($"a batch of {tagsPerBatch / 1e6:F0} M tags (1 s / 10 s at 20 M tags/s) touches {TouchedByZipf(tagsPerBatch, Distinct):N0} distinct tags");
}

Directory.Delete(root, recursive: true);

static (double Ms, long Bytes) MeasureFiles(string root, byte[][] keys, long[] totals, int changed)
{
    // Steady state: the store's entry buffer has grown in an earlier batch, as it has after the first minutes of a run.
    var dir = Fresh(root, "files");
    using var store = CheckpointStore.Open(dir, out _, new CheckpointStoreOptions { SnapshotInterval = int.MaxValue });
    CommitFiles(store, 1, keys, totals, changed);
    var watch = Stopwatch.StartNew();
    var encoded = CommitFiles(store, 2, keys, totals, changed);
    var ms = watch.Elapsed.TotalMilliseconds;
    Console.WriteLine($"  files, {changed:N0} keys: encode {encoded:F0} ms, write + fsync + rename {ms - encoded:F0} ms");
    return (ms, new FileInfo(Path.Combine(dir, "0000000000000000002.delta")).Length);
}

static double CommitFiles(CheckpointStore store, long batchId, byte[][] keys, long[] totals, int changed)
{
    var watch = Stopwatch.StartNew();
    var batch = store.BeginBatch(batchId);
    for (var i = 0; i < changed; i++)
    {
        batch.Add(keys[i], totals[i] + batchId);
    }

    var encoded = watch.Elapsed.TotalMilliseconds;
    batch.Commit(new SourcePosition("run", batchId), new CheckpointCounters(batchId, batchId, 0));
    return encoded;
}

static (double Ms, long Bytes) MeasureSqlite(string root, byte[][] keys, long[] totals, int changed)
{
    // The table already holds all 1 M keys (the running state); the batch upserts the changed ones.
    var dir = Fresh(root, "sqlite");
    var path = Path.Combine(dir, "state.db");
    using var store = new SqliteStateStore(path);
    store.Commit(1, keys, totals, keys.Length);
    var bumped = totals.Select(t => t + 1).ToArray();
    var watch = Stopwatch.StartNew();
    store.Commit(2, keys, bumped, changed);
    var ms = watch.Elapsed.TotalMilliseconds;
    return (ms, new FileInfo(path).Length + new FileInfo(path + "-wal").Length);
}

static (double Ms, long Bytes) MeasureFilesRecovery(string root, byte[][] keys, long[] totals)
{
    var dir = WriteSnapshotAndDeltas(root, keys, totals);
    var watch = Stopwatch.StartNew();
    using var store = CheckpointStore.Open(dir, out var recovered);
    var ms = watch.Elapsed.TotalMilliseconds;
    Check(recovered.Totals.Count == keys.Length && recovered.Batch == 11, "recovered state is wrong");
    return (ms, 0);
}

static (double Ms, long Bytes) MeasureSqliteRecovery(string root, byte[][] keys, long[] totals)
{
    var dir = Fresh(root, "sqlite-recovery");
    var path = Path.Combine(dir, "state.db");
    using (var store = new SqliteStateStore(path))
    {
        store.Commit(1, keys, totals, keys.Length);
    }

    var watch = Stopwatch.StartNew();
    using var reopened = new SqliteStateStore(path);
    var recovered = reopened.Recover();
    var ms = watch.Elapsed.TotalMilliseconds;
    Check(recovered.Count == keys.Length, "sqlite recovered state is wrong");
    return (ms, 0);
}

static (double Ms, long Bytes) MeasureCompaction(string root, byte[][] keys, long[] totals)
{
    var dir = WriteSnapshotAndDeltas(root, keys, totals);
    using var store = CheckpointStore.Open(dir, out _, new CheckpointStoreOptions { SnapshotInterval = int.MaxValue });
    var watch = Stopwatch.StartNew();
    store.Compact();
    var ms = watch.Elapsed.TotalMilliseconds;
    return (ms, new FileInfo(Path.Combine(dir, "0000000000000000011.snapshot")).Length);
}

static string WriteSnapshotAndDeltas(string root, byte[][] keys, long[] totals)
{
    var dir = Fresh(root, "recovery");
    using var store = CheckpointStore.Open(dir, out _, new CheckpointStoreOptions { SnapshotInterval = int.MaxValue });
    var first = store.BeginBatch(1);
    for (var i = 0; i < keys.Length; i++)
    {
        first.Add(keys[i], totals[i]);
    }

    first.Commit(null, default);
    store.Compact();
    for (var b = 2; b <= 11; b++)
    {
        var batch = store.BeginBatch(b);
        for (var i = (b - 2) * 100_000; i < (b - 1) * 100_000; i++)
        {
            batch.Add(keys[i], totals[i] + b);
        }

        batch.Commit(new SourcePosition("run", b), new CheckpointCounters(b, b, 0));
    }

    return dir;
}

static int TouchedByZipf(int samples, int n)
{
    var cumulative = new double[n];
    var sum = 0.0;
    for (var i = 0; i < n; i++)
    {
        sum += 1.0 / Math.Pow(i + 1, 1.1);
        cumulative[i] = sum;
    }

    var seen = new bool[n];
    var random = new Random(7);
    var touched = 0;
    for (var s = 0; s < samples; s++)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
        index = Math.Min(index < 0 ? ~index : index, n - 1);
        if (!seen[index])
        {
            seen[index] = true;
            touched++;
        }
    }

    return touched;
}

static (double Ms, long Bytes) Median(Func<(double Ms, long Bytes)> measure)
{
    var runs = Enumerable.Range(0, Repeats).Select(_ => measure()).OrderBy(r => r.Ms).ToList();
    return runs[Repeats / 2];
}

static string Fresh(string root, string name)
{
    var dir = Path.Combine(root, name);
    if (Directory.Exists(dir))
    {
        Directory.Delete(dir, recursive: true);
    }

    Directory.CreateDirectory(dir);
    return dir;
}

static void Check(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}
