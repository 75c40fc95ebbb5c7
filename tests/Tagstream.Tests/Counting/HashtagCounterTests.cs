using System.IO.Hashing;
using System.Numerics;
using System.Text;
using Tagstream.Counting;

namespace Tagstream.Tests.Counting;

public sealed class HashtagCounterTests
{
    [Theory]
    [InlineData("a b\n", "a b")]
    [InlineData("a\tb\r\nc\v\fd\u001Ce\u001Ff\n", "a b c d e f")]
    [InlineData("   a  \t  b   \n", "a b")]
    [InlineData("a\u00A0b\u3000c\u2028d\u0085e\u200Af\u205Fg\u1680h\u202Fi\u2029j\n", "a b c d e f g h i j")]
    [InlineData("é\u00A0日本 😀\n", "é 日本 😀")]
    [InlineData("\u3000\u3000x\u3000\u3000\n", "x")]
    [InlineData("\u200Bzero\u200Bwidth\n", "\u200Bzero\u200Bwidth")] // U+200B is not whitespace in Python either
    [InlineData("Café café CAFÉ\n", "Café café CAFÉ")] // counted as sent: no normalisation
    public void Count_Line_SplitsLikePython(string line, string expectedTokens)
    {
        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 });

        counter.Count(Encoding.UTF8.GetBytes(line));
        counter.CloseBatch();

        var expected = expectedTokens.Split(' ');
        Assert.Equal(expected.Length, counter.Tags);
        Assert.Equal(0, counter.MalformedTokens);
        foreach (var group in expected.GroupBy(t => t, StringComparer.Ordinal))
        {
            Assert.Equal(group.Count(), counter.GetTotal(Encoding.UTF8.GetBytes(group.Key)));
        }
    }

    [Fact]
    public void Count_InvalidUtf8AndNul_SkipsOnlyThoseTokens()
    {
        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 });

        // Invalid byte, truncated sequence, overlong NUL, surrogate, NUL inside, an invalid piece with a Unicode space.
        counter.Count([.. "ok1 "u8, 0xFF, .. " ok2 "u8, 0xC3, .. " ok3 "u8, 0xC0, 0x80, .. " "u8, 0xED, 0xA0, 0x80, .. " a"u8, 0, .. "b ok4 "u8, 0xFF, 0xC2, 0xA0, .. "x\n"u8]);
        counter.CloseBatch();

        Assert.Equal(4, counter.Tags);
        Assert.Equal(6, counter.MalformedTokens);
        Assert.Equal(1, counter.Posts);
        Assert.Equal(["1 ok1", "1 ok2", "1 ok3", "1 ok4"], counter.Top(10).Select(e => $"{e.Total} {e.Hashtag}"));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("\n", 1)]
    [InlineData("\n\n\r\n", 3)]
    [InlineData("a", 1)]
    [InlineData("a\nb", 2)]
    [InlineData("a\n \t", 2)]
    public void Count_Chunk_CountsPostsPerLine(string chunk, long posts)
    {
        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 });

        counter.Count(Encoding.UTF8.GetBytes(chunk));

        Assert.Equal(posts, counter.Posts);
    }

    [Fact]
    public void Top_TiesAndNonAscii_OrderedByTotalThenUtf8Bytes()
    {
        using var counter = new HashtagCounter(new CounterOptions { Workers = 2, TopCapacity = 10 });

        // U+FF5E sorts after U+1F600 in UTF-16 (surrogates are 0xD83D..) but before it in UTF-8 and code points.
        counter.Count("😀 ～ b a é z 😀 ～ b a é z b\n"u8);
        counter.CloseBatch();

        Assert.Equal(["3 b", "2 a", "2 z", "2 é", "2 ～", "2 😀"], counter.Top(10).Select(e => $"{e.Total} {e.Hashtag}"));
        Assert.Equal(["3 b", "2 a"], counter.Top(2).Select(e => $"{e.Total} {e.Hashtag}"));
        Assert.Empty(counter.Top(0));
    }

    [Fact]
    public void Top_AboveCapacity_Throws()
    {
        using var counter = new HashtagCounter(new CounterOptions { TopCapacity = 5 });

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => counter.Top(6));
        Assert.Contains("TopCapacity", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_OpenBatch_NotIncludedUntilClosed()
    {
        using var counter = new HashtagCounter();
        counter.Count("a a\n"u8);
        counter.CloseBatch();

        counter.Count("b b b\n"u8);

        Assert.Equal(["2 a"], counter.Top(5).Select(e => $"{e.Total} {e.Hashtag}"));
        Assert.Equal(0, counter.GetTotal("b"u8));
        counter.CloseBatch();
        Assert.Equal(["3 b", "2 a"], counter.Top(5).Select(e => $"{e.Total} {e.Hashtag}"));
    }

    [Fact]
    public void GetChanges_AfterNextCount_IsEmptyAndOldEnumeratorThrows()
    {
        using var counter = new HashtagCounter();
        counter.Count("a b a\n"u8);
        counter.CloseBatch();
        var changes = new Dictionary<string, (long, long)>();
        foreach (var change in counter.GetChanges())
        {
            changes.Add(Encoding.UTF8.GetString(change.Hashtag), (change.Delta, change.Total));
        }

        Assert.Equal(new Dictionary<string, (long, long)> { ["a"] = (2, 2), ["b"] = (1, 1) }, changes);

        var stale = counter.GetChanges();
        counter.Count("a\n"u8);

        Assert.False(counter.GetChanges().MoveNext());
        try
        {
            stale.MoveNext();
            Assert.Fail("A stale enumerator must throw.");
        }
        catch (InvalidOperationException)
        {
        }
    }

    [Fact]
    public void CloseBatch_EmptyBatch_HasNoChangesAndKeepsTotals()
    {
        using var counter = new HashtagCounter();
        counter.Count("a\n"u8);
        counter.CloseBatch();

        counter.CloseBatch();

        Assert.False(counter.GetChanges().MoveNext());
        Assert.Equal(1, counter.GetTotal("a"u8));
        Assert.Equal(["1 a"], counter.Top(5).Select(e => $"{e.Total} {e.Hashtag}"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CloseBatch_InBatchCountBeyond32Bits_ExactDeltaAndTotal(int workers)
    {
        // Growing the table while a slot holds wrapped counts must carry them to the slot's new place.
        using var counter = new HashtagCounter(new CounterOptions { Workers = workers }, new CounterTuning { InitialCapacity = 8 });
        counter.Count("x\n"u8);
        var hash = HashtagSharding.Hash("x"u8);
        var table = counter.Shards[HashtagSharding.ShardOf(hash, workers)];
        table.SetBatchCount(table.Find("x"u8, CountingTable.FingerprintOf(hash)), uint.MaxValue - 1);

        counter.Count("x x x\n"u8);
        counter.Count(Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Range(0, 100).Select(i => $"grow{i}")) + "\n"));
        counter.Count("x x\n"u8);
        counter.CloseBatch();

        const long Expected = uint.MaxValue - 1L + 5;
        Assert.Equal(Expected, counter.GetTotal("x"u8));
        var found = false;
        foreach (var change in counter.GetChanges())
        {
            if (change.Hashtag.SequenceEqual("x"u8))
            {
                found = true;
                Assert.Equal(Expected, change.Delta);
                Assert.Equal(Expected, change.Total);
            }
        }

        Assert.True(found);
        Assert.Equal(new HashtagCount("x", Expected), counter.Top(1)[0]);

        counter.Count("x\n"u8);
        counter.CloseBatch();
        Assert.Equal(Expected + 1, counter.GetTotal("x"u8));
    }

    [Fact]
    public void AddTotal_BetweenBatches_InTotalsAndTopButNotInChanges()
    {
        using var counter = new HashtagCounter(new CounterOptions { TopCapacity = 3 });
        counter.Count("a b c d\n"u8);
        counter.CloseBatch();

        counter.AddTotal("d"u8, 10);
        counter.AddTotal("new"u8, 5);
        counter.AddTotal("a"u8, 0);

        Assert.False(counter.GetChanges().MoveNext());
        Assert.Equal(["11 d", "5 new", "1 a"], counter.Top(3).Select(e => $"{e.Total} {e.Hashtag}"));
        Assert.Equal(5, counter.DistinctTags);

        counter.Count("new new new new new new\n"u8);
        counter.CloseBatch();
        Assert.Equal(["11 d", "11 new", "1 a"], counter.Top(3).Select(e => $"{e.Total} {e.Hashtag}"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EnsureCapacity_ThenLoadingAnotherCountersTotalsInItsOrder_GrowsNoTableAndKeepsEveryTotal(int workers)
    {
        // A full counter's entries come out in table order: the order a checkpoint stores and recovery replays.
        using var source = new HashtagCounter(new CounterOptions { Workers = 3 - workers });
        var text = new StringBuilder();
        for (var i = 0; i < 60_000; i++)
        {
            text.Append("tag").Append(i).Append(' ').Append('t').Append(i % 1000).Append(i % 7 == 0 ? "_long_enough_to_leave_the_slot" : "").Append('\n');
        }

        source.Count(Encoding.UTF8.GetBytes(text.ToString()));
        source.CloseBatch();
        using var loaded = new HashtagCounter(new CounterOptions { Workers = workers });

        loaded.EnsureCapacity(source.DistinctTags);
        var capacities = loaded.Shards.Select(shard => shard.Capacity).ToArray();
        foreach (var entry in source)
        {
            loaded.AddTotal(entry.Hashtag, entry.Total);
        }

        Assert.Equal(capacities, loaded.Shards.Select(shard => shard.Capacity));
        Assert.Equal(source.DistinctTags, loaded.DistinctTags);
        foreach (var entry in source)
        {
            Assert.Equal(entry.Total, loaded.GetTotal(entry.Hashtag));
        }

        Assert.Equal(source.Top(20), loaded.Top(20));
    }

    [Fact]
    public void EnsureCapacity_InTheMiddleOfABatch_KeepsItsCountsAndChanges()
    {
        using var counter = new HashtagCounter(new CounterOptions { Workers = 2 });
        var reference = new NaiveReference();
        var random = new RandomStream(11) { Lines = 2000 };
        byte[] first = random.Generate(unterminatedLast: false);
        byte[] second = new RandomStream(12) { Lines = 2000 }.Generate(unterminatedLast: false);

        counter.Count(first);
        reference.Count(first);
        counter.EnsureCapacity(100_000);
        counter.Count(second);
        reference.Count(second);
        counter.CloseBatch();
        var batch = reference.CloseBatch();

        CounterAssert.ChangesEqual(batch, reference, counter);
        CounterAssert.TotalsEqual(reference, counter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a\u3000b")]
    [InlineData("a\0")]
    [InlineData("a\u001Cb")]
    public void AddTotal_NotOneToken_Throws(string hashtag)
    {
        using var counter = new HashtagCounter();

        Assert.Throws<ArgumentException>(() => counter.AddTotal(Encoding.UTF8.GetBytes(hashtag), 1));
    }

    [Fact]
    public void AddTotal_InvalidUtf8OrNegative_Throws()
    {
        using var counter = new HashtagCounter();

        Assert.Throws<ArgumentException>(() => counter.AddTotal([0x61, 0xFF], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.AddTotal("a"u8, -1));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(65, 10)]
    [InlineData(2, 0)]
    [InlineData(2, 1_000_001)]
    public void CounterOptions_OutOfRange_ThrowsClearMessage(int workers, int topCapacity)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => new CounterOptions { Workers = workers, TopCapacity = topCapacity });

        Assert.Matches("(Workers|TopCapacity) must be between", exception.Message);
    }

    [Fact]
    public void Dispose_Twice_ThenUse_ThrowsObjectDisposed()
    {
        var counter = new HashtagCounter(new CounterOptions { Workers = 2 });
        counter.Count("a\n"u8);

        counter.Dispose();
        counter.Dispose();

        Assert.Throws<ObjectDisposedException>(() => counter.Count("a\n"u8));
        Assert.Throws<ObjectDisposedException>(() => counter.Top(1));
    }

    [Fact]
    public void Hash_ShortAndLongKeys_FollowTheDocumentedFunction()
    {
        // Re-derive the short-key function from its description, for the shortest and the longest short key.
        Assert.Equal(DocumentedShortHash("a"u8), HashtagSharding.Hash("a"u8));
        Assert.Equal(DocumentedShortHash("nineteen-bytes-long"u8), HashtagSharding.Hash("nineteen-bytes-long"u8));
        Assert.Equal(XxHash3.HashToUInt64("twenty-bytes-is-long"u8), HashtagSharding.Hash("twenty-bytes-is-long"u8));
        Assert.NotEqual(HashtagSharding.Hash("a"u8), HashtagSharding.Hash("a\0"u8));
    }

    [Fact]
    public void VisitEntriesByShard_VisitorThrowsOnOneWorker_RethrowsAndTheWorkersCountOn()
    {
        // A failure on a worker thread must reach the caller, and every worker must still meet the others at the
        // barriers afterwards: a worker left behind would make the next parallel count wait forever.
        var stream = new RandomStream(7) { Lines = 20_000 }.Generate(unterminatedLast: false);
        Assert.True(stream.Length > CounterTuning.Default.ParallelThreshold, "The chunks must take the parallel path.");
        var reference = new NaiveReference();
        using var counter = new HashtagCounter(new CounterOptions { Workers = 2 });
        counter.Count(stream);
        reference.Count(stream);
        counter.CloseBatch();
        reference.CloseBatch();

        var error = Assert.Throws<InvalidOperationException>(() => counter.VisitEntriesByShard((shard, _, _) =>
        {
            if (shard == 1)
            {
                throw new InvalidOperationException("visitor failed");
            }
        }));

        Assert.Equal("visitor failed", error.Message);
        counter.Count(stream);
        reference.Count(stream);
        counter.CloseBatch();
        reference.CloseBatch();
        CounterAssert.TotalsEqual(reference, counter);
        CounterAssert.FiguresEqual(reference, counter);
    }

    [Fact]
    public void ShardOf_Hash_ScalesLowHalf()
    {
        Assert.Equal(0, HashtagSharding.ShardOf(0x0000_0000_7FFF_FFFF, 2));
        Assert.Equal(1, HashtagSharding.ShardOf(0x0000_0000_8000_0000, 2));
        Assert.Equal(63, HashtagSharding.ShardOf(0xFFFF_FFFF_0000_0000 | 0xFFFF_FFFF, 64));
        Assert.Equal(0, HashtagSharding.ShardOf(0xFFFF_FFFF_0000_0000, 64));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Count_RandomBytes_ValidatesUtf8LikeTheStrictDecoder(int seed)
    {
        // Pieces built from the bytes where UTF-8 validation has its edges: lead bytes, continuation ranges, NUL.
        byte[] interesting = [0x00, 0x41, 0x7F, 0x80, 0x85, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xE2, 0xE3, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF];
        var random = new Random(seed);
        var stream = new List<byte>();
        for (var line = 0; line < 3000; line++)
        {
            var pieces = random.Next(1, 4);
            for (var p = 0; p < pieces; p++)
            {
                var length = random.Next(1, 6);
                for (var i = 0; i < length; i++)
                {
                    stream.Add(interesting[random.Next(interesting.Length)]);
                }

                stream.Add((byte)' ');
            }

            stream.Add((byte)'\n');
        }

        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 });
        var reference = new NaiveReference();
        counter.Count(stream.ToArray());
        reference.Count(stream.ToArray());
        counter.CloseBatch();
        reference.CloseBatch();

        CounterAssert.FiguresEqual(reference, counter);
        CounterAssert.TotalsEqual(reference, counter);
    }

    [Fact]
    public void Count_SteadyState_AllocatesNothingPerTokenOrLine()
    {
        // Counting known tags, closing the batch and enumerating its changes and all entries must not allocate
        // (Top allocates its result by design, so it is left out).
        var stream = new RandomStream(3) { Vocabulary = 300, Lines = 5000, BadTokenShare = 0.01 }.Generate(unterminatedLast: false);
        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 });
        for (var warmUp = 0; warmUp < 3; warmUp++)
        {
            counter.Count(stream);
            counter.CloseBatch();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (var round = 0; round < 5; round++)
        {
            counter.Count(stream);
            counter.CloseBatch();
            foreach (var change in counter.GetChanges())
            {
                sum += change.Delta + change.Hashtag.Length;
            }

            foreach (var entry in counter)
            {
                sum += entry.Total;
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }

    // [4 zero bytes, length, bytes, zero padding] as words a, b, c; x = fold((b ^ S0) * (c ^ S1)); h = fold((x ^ S2) *
    // (a ^ S3)); then the XXH3 avalanche.
    private static ulong DocumentedShortHash(ReadOnlySpan<byte> key)
    {
        var block = new byte[24];
        block[4] = (byte)key.Length;
        key.CopyTo(block.AsSpan(5));
        static ulong Fold(ulong x, ulong y)
        {
            var product = new BigInteger(x) * new BigInteger(y);
            return (ulong)(product >> 64) ^ (ulong)(product & ulong.MaxValue);
        }

        var a = BitConverter.ToUInt64(block, 0);
        var b = BitConverter.ToUInt64(block, 8);
        var c = BitConverter.ToUInt64(block, 16);
        var x = Fold(b ^ 0x9E3779B185EBCA87, c ^ 0xC2B2AE3D27D4EB4F);
        var h = Fold(x ^ 0x165667B19E3779F9, a ^ 0x27D4EB2F165667C5);
        h ^= h >> 37;
        h = unchecked(h * 0x165667919E3779F9);
        return h ^ (h >> 32);
    }
}
