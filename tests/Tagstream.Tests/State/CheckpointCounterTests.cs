using System.Text;
using Tagstream.Counting;
using Tagstream.State;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.State;

/// <summary>The wiring the job uses: the counter's changes committed per batch, then recovered into a fresh counter.</summary>
public sealed class CheckpointCounterTests
{
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Recover_IntoFreshCounter_EqualsCounterThatNeverStopped(int seed)
    {
        var random = new Random(seed);
        var vocabulary = RandomTags.Vocabulary(random, 300);
        var zipf = new Zipf(random, vocabulary.Length, 1.1);
        using var folder = new TempDirectory();
        using var counter = new HashtagCounter();
        var options = new CheckpointStoreOptions { SnapshotInterval = random.Next(1, 5), CompactInBackground = false };
        var store = CheckpointStore.Open(folder.Path, out _, options);
        try
        {
            for (long batch = 1; batch <= 12; batch++)
            {
                var lines = new StringBuilder();
                for (var post = random.Next(0, 200); post > 0; post--)
                {
                    lines.AppendJoin(' ', Enumerable.Range(0, random.Next(0, 5)).Select(_ => vocabulary[zipf.Next()])).Append('\n');
                }

                counter.Count(Encoding.UTF8.GetBytes(lines.ToString()));
                counter.CloseBatch();
                var commit = store.BeginBatch(batch);
                foreach (var change in counter.GetChanges())
                {
                    commit.Add(change.Hashtag, change.Total);
                }

                commit.Commit(new SourcePosition("feed", batch), new CheckpointCounters(counter.Posts, counter.Tags, counter.MalformedTokens));

                if (random.Next(3) == 0)
                {
                    store.Dispose();
                    store = CheckpointStore.Open(folder.Path, out var recovered, options);
                    using var restored = new HashtagCounter();
                    foreach (var (hashtag, total) in recovered.Totals)
                    {
                        restored.AddTotal(hashtag, total);
                    }

                    Assert.Equal(batch, recovered.Batch);
                    Assert.Equal(new CheckpointCounters(counter.Posts, counter.Tags, counter.MalformedTokens), recovered.Counters);
                    Assert.Equal(Totals(counter), Totals(restored));
                    Assert.Equal(counter.Top(20), restored.Top(20));
                }
            }
        }
        finally
        {
            store.Dispose();
        }
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 20)];

    private static SortedDictionary<string, long> Totals(HashtagCounter counter)
    {
        var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in counter)
        {
            totals.Add(Encoding.UTF8.GetString(entry.Hashtag), entry.Total);
        }

        return totals;
    }
}
