using System.Text;
using Tagstream.Counting;
using Tagstream.Sources.Lines;
using Tagstream.Tests.Counting;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Protocol;

public sealed class MappedLineReaderTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 60)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ReadAsync_RandomFilesInSmallWindows_CountsEqualTheReference(int seed)
    {
        var random = new Random(seed);
        int limit = random.Next(2) == 0 ? 48 : 300;
        byte[] stream = LineStreams.Generate(seed, limit);

        // Resume at a random line start, as a replay does; tiny chunks and windows remap every few lines.
        List<int> starts = LineStreams.LineStarts(stream);
        int start = random.Next(3) == 0 ? 0 : starts[random.Next(starts.Count)];
        (NaiveReference reference, long referenceSkipped) = LineStreams.Expected(stream.AsSpan(start), limit);
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "lines.txt");
        await File.WriteAllBytesAsync(path, stream, TestContext.Current.CancellationToken);
        FileStream file = File.OpenRead(path);
        file.Seek(start, SeekOrigin.Begin);
        int chunkBytes = random.Next(2) == 0 ? 1 + random.Next(64) : 1 + random.Next(4000);
        int windowBytes = random.Next(2) == 0 ? 1 : random.Next(20_000);
        await using var reader = new MappedLineReader(file, limit, chunkBytes, windowBytes);
        using var counter = new HashtagCounter(new CounterOptions { Workers = 1 + (seed % 2) });

        long skipped = await LineStreams.CountAllAsync(reader, counter, limit);

        Assert.Equal(referenceSkipped, skipped);
        LineStreams.AssertCountsEqual(reference, counter);
        Assert.Equal(stream.Length - start, reader.Consumed);
    }

    [Fact]
    public async Task ReadAsync_LineOfExactlyTheLimit_IsKeptAndOneByteLongerIsSkipped()
    {
        using var folder = new TempDirectory();
        string path = WriteFile(folder, $"{new string('a', 10)}\n{new string('b', 11)}\nc d\n{new string('e', 11)}");
        await using var reader = new MappedLineReader(Open(path), maxLineBytes: 10, chunkBytes: 1, windowBytes: 1);

        (string lines, long skipped) = await ReadAllAsync(reader);

        Assert.Equal($"{new string('a', 10)}\nc d\n", lines);
        Assert.Equal(2, skipped);
    }

    [Fact]
    public async Task ReadAsync_FinalLineWithoutNewline_IsTheLastChunkAndTheEndStays()
    {
        using var folder = new TempDirectory();
        string path = WriteFile(folder, "x y\nlast one");
        await using var reader = new MappedLineReader(Open(path));

        LineChunk first = await reader.ReadAsync(TestContext.Current.CancellationToken);
        LineChunk last = await reader.ReadAsync(TestContext.Current.CancellationToken);
        LineChunk after = await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal("x y\n", Encoding.UTF8.GetString(first.Lines.Span));
        Assert.False(first.IsFinal);
        Assert.Equal("last one", Encoding.UTF8.GetString(last.Lines.Span));
        Assert.True(last.IsFinal);
        Assert.True(after.IsFinal && after.Lines.IsEmpty);
        Assert.Equal(12, reader.Consumed);
    }

    [Fact]
    public async Task ReadAsync_EmptyFile_IsOneEmptyFinalChunk()
    {
        using var folder = new TempDirectory();
        string path = WriteFile(folder, "");
        await using var reader = new MappedLineReader(Open(path));

        LineChunk chunk = await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.True(chunk.IsFinal && chunk.Lines.IsEmpty);
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public async Task ReadAsync_ManyShortLines_ChunksAreAsLargeAsAsked()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            text.Append("tag").Append(i % 300).Append(" b\n");
        }

        using var folder = new TempDirectory();
        string path = WriteFile(folder, text.ToString());
        await using var reader = new MappedLineReader(Open(path), maxLineBytes: 16, chunkBytes: 40_000);

        LineChunk chunk = await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.InRange(chunk.Lines.Length, 40_000 - 16, 40_000);
        Assert.Equal(text.ToString()[..chunk.Lines.Length], Encoding.UTF8.GetString(chunk.Lines.Span));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(40)]
    public async Task Count_TokenOfAnyKeyKindEndingAtTheFilesLastByte_IsCounted(int tokenLength)
    {
        // The last chunk ends at the mapping's last byte, where the counter must build inline keys without its one-load
        // shortcut (a short token, the longest inline one, the shortest long one, a long one).
        var text = new StringBuilder();
        while (text.Length < 8192 - tokenLength - 40)
        {
            text.Append("abc defghijklmnopqrstuvw xy\n");
        }

        text.Append(new string('z', 8192 - tokenLength - text.Length - 1)).Append(' ').Append(new string('t', tokenLength));
        using var folder = new TempDirectory();
        string path = WriteFile(folder, text.ToString());
        Assert.Equal(8192, new FileInfo(path).Length);
        var (reference, _) = LineStreams.Expected(File.ReadAllBytes(path), limit: 100);
        await using var reader = new MappedLineReader(Open(path), maxLineBytes: 100, chunkBytes: 1, windowBytes: 1);
        using var counter = new HashtagCounter();

        await LineStreams.CountAllAsync(reader, counter, limit: 100);

        LineStreams.AssertCountsEqual(reference, counter);
        Assert.Equal(1, counter.GetTotal(Encoding.UTF8.GetBytes(new string('t', tokenLength))));
    }

    [Fact]
    public async Task ReadAsync_FileAppendedAfterTheEndWasReached_ReadsOnToTheNewEnd()
    {
        using var folder = new TempDirectory();
        string path = WriteFile(folder, "a b\nc");
        await using var reader = new MappedLineReader(Open(path), chunkBytes: 1, windowBytes: 1);
        LineChunk first = await reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal("a b\n", Encoding.UTF8.GetString(first.Lines.Span));

        // The partial line "c" is completed before the reader gets to it, so it is read as one line.
        await File.AppendAllTextAsync(path, "d e\nf\n", TestContext.Current.CancellationToken);
        (string rest, long skipped) = await ReadAllAsync(reader);

        Assert.Equal("cd e\nf\n", rest);
        Assert.Equal(0, skipped);
        Assert.Equal(11, reader.Consumed);
    }

    [Fact]
    public async Task ReadAsync_FileCutBelowWhatWasRead_ThrowsNamingTheFile()
    {
        // Lines of 10 bytes, chunks of 20 and windows of 40: the second chunk ends the first window exactly, so the
        // next read maps a new window (and finds the file cut) without touching the old one's bytes.
        using var folder = new TempDirectory();
        string path = WriteFile(folder, string.Concat(Enumerable.Repeat("abcdefghi\n", 8)));
        await using var reader = new MappedLineReader(Open(path), maxLineBytes: 9, chunkBytes: 20, windowBytes: 40);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal(40, reader.Consumed);

        using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            truncate.SetLength(30);
        }

        var error = await Assert.ThrowsAsync<IOException>(async () => await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("shrank to 30 bytes", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(string Lines, long Skipped)> ReadAllAsync(MappedLineReader reader)
    {
        var lines = new StringBuilder();
        long skipped = 0;
        LineChunk chunk;
        do
        {
            chunk = await reader.ReadAsync(TestContext.Current.CancellationToken);
            lines.Append(Encoding.UTF8.GetString(chunk.Lines.Span));
            skipped += chunk.SkippedLines;
        }
        while (!chunk.IsFinal);

        return (lines.ToString(), skipped);
    }

    private static string WriteFile(TempDirectory folder, string text)
    {
        string path = Path.Combine(folder.Path, "lines.txt");
        File.WriteAllText(path, text);
        return path;
    }

    private static FileStream Open(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
}
