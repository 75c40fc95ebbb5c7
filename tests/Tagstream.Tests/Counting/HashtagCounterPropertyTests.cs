using System.Text;
using Tagstream.Counting;

namespace Tagstream.Tests.Counting;

/// <summary>
/// The counter against <see cref="NaiveReference"/> on many seeded random streams: every total, the figures, each
/// batch's changes, the top with ties, for one and two workers, with tiny tables that grow and wrap around, chunks
/// cut into many parallel rounds, and recovered totals.
/// </summary>
public sealed class HashtagCounterPropertyTests
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, 200)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Count_RandomStream_EqualsReference(int seed)
    {
        var random = new RandomStream(seed)
        {
            Vocabulary = 1 + (seed * 37 % 600),
            Lines = 200 + (seed * 53 % 1500),
            NonAsciiShare = seed % 4 * 0.15,
            LongTagShare = seed % 3 * 0.1,
            BadTokenShare = seed % 5 == 0 ? 0 : 0.03,
        };
        var tuning = new CounterTuning
        {
            InitialCapacity = seed % 3 == 0 ? 8 : 1 << 12,
            RoundBytes = 64 << (seed % 8),
            ParallelThreshold = seed % 2 == 0 ? 0 : 4096,
        };
        var topCapacity = 1 + (seed % 40);
        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 + (seed % 2), TopCapacity = topCapacity }, tuning);
        var reference = new NaiveReference();

        var stream = random.Generate(unterminatedLast: seed % 3 == 1);
        foreach (var chunk in random.Chunk(stream, maxLines: 1 + (seed % 7 * 40)))
        {
            counter.Count(chunk);
            reference.Count(chunk);
            if (random.Next(4) == 0)
            {
                CloseAndCompare(reference, counter, topCapacity);
            }

            if (seed % 10 == 3 && random.Next(10) == 0)
            {
                // A recovered count between batches: not a change, but in the totals and the top.
                var tag = reference.Totals.Count > 0 && random.Next(2) == 0 ? reference.Totals.Keys.First() : $"recovered{random.Next(50)}";
                counter.AddTotal(Encoding.UTF8.GetBytes(tag), 1 + random.Next(100));
                reference.AddTotal(tag, counter.GetTotal(Encoding.UTF8.GetBytes(tag)) - reference.Totals.GetValueOrDefault(tag));
            }
        }

        CloseAndCompare(reference, counter, topCapacity);
        CounterAssert.TotalsEqual(reference, counter);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Count_CollidingHashes_EqualsReference(int seed)
    {
        // Two bits of hash per half: every key shares one of four fingerprints and start slots, probes run long and
        // wrap around the end of the table, and long keys are told apart by their bytes only.
        var random = new RandomStream(seed) { Vocabulary = 1 + (seed % 150), Lines = 300, LongTagShare = 0.3, NonAsciiShare = 0.2 };
        var tuning = new CounterTuning { InitialCapacity = 8, DegenerateHash = true, RoundBytes = 256, ParallelThreshold = 0 };
        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 + (seed % 2), TopCapacity = 15 }, tuning);
        var reference = new NaiveReference();

        foreach (var chunk in random.Chunk(random.Generate(unterminatedLast: false), maxLines: 50))
        {
            counter.Count(chunk);
            reference.Count(chunk);
            if (random.Next(3) == 0)
            {
                CloseAndCompare(reference, counter, 15);
            }
        }

        CloseAndCompare(reference, counter, 15);
        CounterAssert.TotalsEqual(reference, counter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Count_AllDistinct_GrowsAndEqualsReference(int workers)
    {
        var random = new RandomStream(workers) { Lines = 20_000, AllDistinct = true, BadTokenShare = 0 };
        using var counter = new HashtagCounter(new CounterOptions { Workers = workers, TopCapacity = 100 }, new CounterTuning { InitialCapacity = 8 });
        var reference = new NaiveReference();
        var stream = random.Generate(unterminatedLast: true);

        counter.Count(stream);
        reference.Count(stream);

        Assert.True(counter.DistinctTags > 50_000);
        CloseAndCompare(reference, counter, 100);
        CounterAssert.TotalsEqual(reference, counter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Count_OneTagRepeated_CountsEveryOccurrence(int workers)
    {
        // One hot key: every worker's tokens land in one shard, and one slot takes every increment.
        var line = Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Repeat("football", 50)) + "\n");
        var chunk = Enumerable.Range(0, 2000).SelectMany(_ => line).ToArray();
        using var counter = new HashtagCounter(new CounterOptions { Workers = workers, TopCapacity = 5 }, new CounterTuning { RoundBytes = 4096, ParallelThreshold = 0 });

        counter.Count(chunk);
        counter.Count(chunk);
        counter.CloseBatch();

        Assert.Equal(200_000, counter.GetTotal("football"u8));
        Assert.Equal(1, counter.DistinctTags);
        Assert.Equal(4000, counter.Posts);
        Assert.Equal([new HashtagCount("football", 200_000)], counter.Top(5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Count_HugeTags_EqualsReference(int workers)
    {
        var random = new RandomStream(7) { Vocabulary = 30, Lines = 400, HugeTagShare = 0.2 };
        using var counter = new HashtagCounter(new CounterOptions { Workers = workers, TopCapacity = 10 }, new CounterTuning { RoundBytes = 4096, ParallelThreshold = 0 });
        var reference = new NaiveReference();

        foreach (var chunk in random.Chunk(random.Generate(unterminatedLast: true), maxLines: 60))
        {
            counter.Count(chunk);
            reference.Count(chunk);
        }

        CloseAndCompare(reference, counter, 10);
        Assert.Contains(reference.Totals.Keys, tag => tag.Length > 65_536);
        CounterAssert.TotalsEqual(reference, counter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Count_OneAndTwoWorkers_SameResults(int seed)
    {
        var random = new RandomStream(seed) { Vocabulary = 5000, Lines = 30_000 };
        var stream = random.Generate(unterminatedLast: false);
        var chunks = random.Chunk(stream, maxLines: 5000);
        using var one = new HashtagCounter(new CounterOptions { Workers = 1, TopCapacity = 200 });
        using var two = new HashtagCounter(new CounterOptions { Workers = 2, TopCapacity = 200 }, new CounterTuning { RoundBytes = 8192, ParallelThreshold = 1024 });

        foreach (var chunk in chunks)
        {
            one.Count(chunk);
            two.Count(chunk);
        }

        one.CloseBatch();
        two.CloseBatch();

        Assert.Equal((one.Posts, one.Tags, one.MalformedTokens, one.DistinctTags), (two.Posts, two.Tags, two.MalformedTokens, two.DistinctTags));
        Assert.Equal(one.Top(200), two.Top(200));
        foreach (var entry in one)
        {
            Assert.Equal(entry.Total, two.GetTotal(entry.Hashtag));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AddTotal_SnapshotOfAnotherCounter_RecoversTotalsAndTop(int workers)
    {
        var random = new RandomStream(11) { Vocabulary = 3000, Lines = 5000 };
        var before = random.Generate(unterminatedLast: false);
        var after = random.Generate(unterminatedLast: false);
        using var original = new HashtagCounter(new CounterOptions { Workers = workers, TopCapacity = 50 });
        using var recovered = new HashtagCounter(new CounterOptions { Workers = 3 - workers, TopCapacity = 50 });
        var reference = new NaiveReference();
        original.Count(before);
        reference.Count(before);
        original.CloseBatch();
        reference.CloseBatch();

        foreach (var entry in original)
        {
            recovered.AddTotal(entry.Hashtag, entry.Total);
        }

        Assert.Equal(original.Top(50), recovered.Top(50));
        recovered.Count(after);
        reference.Count(after);
        recovered.CloseBatch();
        var batch = reference.CloseBatch();

        CounterAssert.ChangesEqual(batch, reference, recovered);
        CounterAssert.TotalsEqual(reference, recovered);
        CounterAssert.TopEqual(reference, recovered, 50);
    }

    private static void CloseAndCompare(NaiveReference reference, HashtagCounter counter, int topCapacity)
    {
        counter.CloseBatch();
        var batch = reference.CloseBatch();
        CounterAssert.FiguresEqual(reference, counter);
        CounterAssert.ChangesEqual(batch, reference, counter);
        CounterAssert.TopEqual(reference, counter, topCapacity);
    }
}
