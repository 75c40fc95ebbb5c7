// A process for crash tests of the checkpoint store: it recovers from DIR, then commits batches of CrashWorkload up to
// LAST, printing "committed N" once batch N is durable, so a test can kill -9 it at any moment (mid-write, mid-fsync,
// mid-compaction) and check that recovery is exact. Usage: Tagstream.CrashHarness DIR SEED LAST
using System.Globalization;
using Tagstream;
using Tagstream.CrashHarness;
using Tagstream.State;

var directory = args[0];
var seed = int.Parse(args[1], CultureInfo.InvariantCulture);
var last = long.Parse(args[2], CultureInfo.InvariantCulture);

using var store = CheckpointStore.Open(directory, out var recovered, new CheckpointStoreOptions { SnapshotInterval = 4 });
foreach (var message in recovered.Messages)
{
    Console.Error.WriteLine(message);
}

// The running totals, continued from the recovered ones: a wrong recovery makes every later total wrong too.
var totals = recovered.Totals.ToDictionary(p => p.Key, p => p.Value, recovered.Totals is Dictionary<byte[], long> d ? d.Comparer : null);
var lookup = totals.GetAlternateLookup<ReadOnlySpan<byte>>();
Console.WriteLine($"recovered {recovered.Batch}");
var pending = new Queue<(long Batch, Task Commit)>();
for (var batch = recovered.Batch + 1; batch <= last; batch++)
{
    var commit = store.BeginBatch(batch);
    foreach (var (hashtag, increment) in CrashWorkload.Batch(seed, batch))
    {
        lookup.TryGetValue(hashtag, out var total);
        total += increment;
        lookup[hashtag] = total;
        commit.Add(hashtag, total);
    }

    pending.Enqueue((batch, commit.CommitAsync(new SourcePosition("crash-" + seed, batch), new CheckpointCounters(batch, 0, 0), CancellationToken.None)));
    while (pending.Count > 1 || (pending.Count == 1 && pending.Peek().Commit.IsCompleted))
    {
        var (done, task) = pending.Dequeue();
        await task.ConfigureAwait(false);
        Console.WriteLine($"committed {done}");
    }
}

while (pending.TryDequeue(out var item))
{
    await item.Commit.ConfigureAwait(false);
    Console.WriteLine($"committed {item.Batch}");
}
