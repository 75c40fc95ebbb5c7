using System.Text;
using Tagstream.Feed;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Protocol;

/// <summary>The feed log against a naive reference: the bytes appended, kept as one array, and the last position given.</summary>
public sealed class FeedLogTests
{
    private const string Source = "scripted seed=1";

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 25)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Append_RandomBatchesAcrossSegmentRolls_ReadBackAndReopenedEqualTheReference(int seed)
    {
        var random = new Random(seed);
        using var folder = new TempDirectory();
        var options = Options(segmentBytes: 4096 + random.Next(8192));
        var reference = new Reference();
        using (FeedLog log = FeedLog.Open(folder.Path, options))
        {
            Assert.Equal(0, log.Lines);
            Assert.Null(log.ResumePosition);
            for (int batch = random.Next(1, 160); batch > 0; batch--)
            {
                (byte[] lines, int count) = RandomLines(random);
                SourcePosition? position = random.Next(3) == 0 ? null : new SourcePosition("stream-" + random.Next(2), random.Next(1_000_000));
                log.Append(lines, count, position);
                reference.Append(lines, count, position);
            }

            Assert.Equal(reference.Lines, log.Lines);
            AssertReadsLikeTheReference(log, reference, random);
        }

        using FeedLog reopened = FeedLog.Open(folder.Path, options);
        Assert.Empty(reopened.Messages);
        Assert.Equal(reference.Lines, reopened.Lines);
        Assert.Equal(reference.Bytes.Count, reopened.Bytes);
        Assert.Equal(reference.Position, reopened.ResumePosition);
        Assert.Equal(reference.ResumeLine, reopened.ResumeLine);
        Assert.True(Directory.GetFiles(folder.Path, "*.seg").Length > 1 || reference.Bytes.Count < options.SegmentBytes, "The log never rolled a segment.");
        AssertReadsLikeTheReference(reopened, reference, random);

        // Appending goes on after a reopen, in the same numbering, and a reader that reached the end reads on.
        using var follower = new FeedLogReader(reopened, 0);
        var followed = new List<byte>(ReadUpTo(follower, reopened.Bytes));
        for (int i = 0; i < 5; i++)
        {
            (byte[] more, int moreCount) = RandomLines(random);
            reopened.Append(more, moreCount, null);
            reference.Append(more, moreCount, null);
            followed.AddRange(ReadUpTo(follower, reopened.Bytes));
        }

        Assert.Equal(reference.Bytes, followed);
        AssertReadsLikeTheReference(reopened, reference, random);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Open_LastRecordTornAtEveryByteOffset_CutsItOffWithOneMessageAndKeepsEveryWholeRecord(int seed)
    {
        var random = new Random(seed);
        using var original = new TempDirectory();
        var options = Options(segmentBytes: 1 << 20);
        var before = new Reference();
        long lastRecordStart;
        using (FeedLog log = FeedLog.Open(original.Path, options))
        {
            for (int i = 0; i < 5; i++)
            {
                (byte[] lines, int count) = RandomLines(random);
                log.Append(lines, count, new SourcePosition("s", i));
                before.Append(lines, count, new SourcePosition("s", i));
            }

            lastRecordStart = new FileInfo(SegmentPath(original.Path)).Length;
            (byte[] last, int lastCount) = RandomLines(random);
            log.Append(last, lastCount, new SourcePosition("s", 99));
        }

        byte[] whole = File.ReadAllBytes(SegmentPath(original.Path));
        for (long cut = lastRecordStart; cut < whole.Length; cut++)
        {
            using var copy = new TempDirectory();
            File.WriteAllBytes(Path.Combine(copy.Path, Path.GetFileName(SegmentPath(original.Path))), whole.AsSpan(0, (int)cut).ToArray());
            using (FeedLog torn = FeedLog.Open(copy.Path, options))
            {
                Assert.Equal(cut == lastRecordStart ? 0 : 1, torn.Messages.Count);
                Assert.Equal(before.Lines, torn.Lines);
                Assert.Equal(new SourcePosition("s", 4), torn.ResumePosition);
                Assert.Equal(before.Bytes.ToArray(), ReadAll(torn, 0));
            }

            Assert.Equal(lastRecordStart, new FileInfo(SegmentPath(copy.Path)).Length);
            using FeedLog again = FeedLog.Open(copy.Path, options);
            Assert.Empty(again.Messages);
        }
    }

    [Fact]
    public void Open_LastRecordCorrupted_CutsItOff()
    {
        using var folder = new TempDirectory();
        var options = Options(segmentBytes: 1 << 20);
        long lastRecordStart;
        using (FeedLog log = FeedLog.Open(folder.Path, options))
        {
            log.Append("a b\nc\n"u8.ToArray(), 2, new SourcePosition("s", 2));
            lastRecordStart = new FileInfo(SegmentPath(folder.Path)).Length;
            log.Append("d e\n"u8.ToArray(), 1, new SourcePosition("s", 3));
        }

        byte[] bytes = File.ReadAllBytes(SegmentPath(folder.Path));
        bytes[^12] ^= 0x20;
        File.WriteAllBytes(SegmentPath(folder.Path), bytes);

        using FeedLog repaired = FeedLog.Open(folder.Path, options);
        Assert.Single(repaired.Messages);
        Assert.Equal(2, repaired.Lines);
        Assert.Equal("a b\nc\n", Encoding.UTF8.GetString(ReadAll(repaired, 0)));
        Assert.Equal(lastRecordStart, new FileInfo(SegmentPath(folder.Path)).Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Append_MoreThanTheMaximum_DeletesTheOldestSegmentsAndKeepsTheRestReadable(int seed)
    {
        var random = new Random(seed);
        using var folder = new TempDirectory();
        var options = Options(segmentBytes: 64 << 10) with { MaxBytes = 1 << 20 };
        var reference = new Reference();
        using FeedLog log = FeedLog.Open(folder.Path, options);
        while (reference.Bytes.Count < 5 << 20)
        {
            (byte[] lines, int count) = RandomLines(random, maxLines: 400);
            log.Append(lines, count, null);
            reference.Append(lines, count, null);
            Assert.True(Directory.GetFiles(folder.Path, "*.seg").Sum(f => new FileInfo(f).Length) <= options.MaxBytes);
        }

        long oldest = log.OldestLine;
        Assert.True(oldest > 0);
        Assert.Throws<FeedLogException>(() => log.FindLine(oldest - 1));
        long offset = log.FindLine(oldest);
        Assert.Equal(reference.LineStarts[(int)oldest], offset);
        Assert.Equal(reference.Bytes.Skip((int)offset).ToArray(), ReadAll(log, offset));
        Assert.Throws<FeedLogException>(() => new FeedLogReader(log, 0).Read(new byte[10]));
    }

    [Fact]
    public void Open_FolderInUseByAnotherLog_IsRefused()
    {
        using var folder = new TempDirectory();
        using FeedLog first = FeedLog.Open(folder.Path, Options());

        var error = Assert.Throws<FeedLogException>(() => FeedLog.Open(folder.Path, Options()));
        Assert.Contains("in use by another Tagstream feed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LogOfAnotherSource_IsRefused()
    {
        using var folder = new TempDirectory();
        using (FeedLog log = FeedLog.Open(folder.Path, Options()))
        {
            log.Append("x\n"u8.ToArray(), 1, null);
        }

        var error = Assert.Throws<FeedLogException>(() => FeedLog.Open(folder.Path, Options() with { Source = "scripted seed=2" }));
        Assert.Contains("records another source (scripted seed=1), not this feed's (scripted seed=2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LogOfAnotherFormatVersion_IsRefused()
    {
        using var folder = new TempDirectory();
        using (FeedLog log = FeedLog.Open(folder.Path, Options()))
        {
            log.Append("x\n"u8.ToArray(), 1, null);
        }

        byte[] bytes = File.ReadAllBytes(SegmentPath(folder.Path));
        bytes[4] = 7;
        File.WriteAllBytes(SegmentPath(folder.Path), bytes);

        var error = Assert.Throws<FeedLogException>(() => FeedLog.Open(folder.Path, Options()));
        Assert.Contains("format version 7; this Tagstream reads version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FolderThatCannotBeCreated_IsRefused()
    {
        using var folder = new TempDirectory();
        string file = Path.Combine(folder.Path, "a-file");
        File.WriteAllText(file, "not a folder");

        var error = Assert.Throws<FeedLogException>(() => FeedLog.Open(Path.Combine(file, "log"), Options()));
        Assert.StartsWith("Cannot create the feed log folder", error.Message, StringComparison.Ordinal);
    }

    private static FeedLogOptions Options(long segmentBytes = 1 << 20) => new() { Source = Source, SegmentBytes = segmentBytes };

    private static string SegmentPath(string folder) => Assert.Single(Directory.GetFiles(folder, "*.seg"));

    private static void AssertReadsLikeTheReference(FeedLog log, Reference reference, Random random)
    {
        Assert.Equal(reference.Bytes.ToArray(), ReadAll(log, 0));
        for (int i = 0; i < 10 && reference.Lines > 0; i++)
        {
            int line = random.Next((int)reference.Lines);
            long offset = log.FindLine(line);
            Assert.Equal(reference.LineStarts[line], offset);
            long from = random.Next(reference.Bytes.Count);
            Assert.Equal(reference.Bytes.Skip((int)from).ToArray(), ReadAll(log, from));
        }
    }

    private static byte[] ReadAll(FeedLog log, long from)
    {
        using var reader = new FeedLogReader(log, from);
        return ReadUpTo(reader, log.Bytes);
    }

    private static byte[] ReadUpTo(FeedLogReader reader, long end)
    {
        var all = new List<byte>();
        byte[] buffer = new byte[777];
        while (reader.Offset < end)
        {
            int n = reader.Read(buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - reader.Offset)));
            all.AddRange(buffer.AsSpan(0, n));
        }

        return [.. all];
    }

    private static (byte[] Lines, int Count) RandomLines(Random random, int maxLines = 60)
    {
        string[] vocabulary = RandomTags.Vocabulary(random, 40);
        var text = new StringBuilder();
        int count = random.Next(1, maxLines);
        for (int i = 0; i < count; i++)
        {
            text.AppendJoin(' ', Enumerable.Range(0, random.Next(0, 5)).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
            text.Append('\n');
        }

        return (Encoding.UTF8.GetBytes(text.ToString()), count);
    }

    private sealed class Reference
    {
        public List<byte> Bytes { get; } = [];

        public List<long> LineStarts { get; } = [];

        public long Lines => LineStarts.Count;

        public SourcePosition? Position { get; private set; }

        public long ResumeLine { get; private set; }

        public void Append(byte[] lines, int count, SourcePosition? position)
        {
            long before = Lines;
            for (int i = 0; i < lines.Length; i++)
            {
                if (i == 0 || lines[i - 1] == (byte)'\n')
                {
                    LineStarts.Add(Bytes.Count + i);
                }
            }

            Bytes.AddRange(lines);
            Assert.Equal(count, Lines - before);
            if (position is not null)
            {
                Position = position;
                ResumeLine = Lines;
            }
            else if (Position is null)
            {
                ResumeLine = Lines;
            }

        }
    }
}
