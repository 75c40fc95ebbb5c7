using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tagstream.Sources;
using Tagstream.Sources.Parsing;
using Tagstream.Sources.Replay;

namespace Tagstream.Tests.Sources.Replay;

public sealed class RecordedFileSourceTests : IDisposable
{
    private const long StartMicros = 1_783_175_888_000_000;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tagstream-replay-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("x_v2_filtered_stream.ndjson", "dotnet csharp\n")]
    [InlineData("twitter_v11_statuses.jsonl", "nodejs dotnet\n")]
    [InlineData("jetstream_v1_subscribe.jsonl", "dotnet csharp\n")]
    [InlineData("mastodon_sse_hashtag.txt", "dotnet csharp\n")]
    [InlineData("mastodon_ws_hashtag.jsonl", "dotnet csharp\n")]
    public async Task ReadAsync_FixtureAtMaxSpeed_ProtocolLinesPostsAndEndPosition(string fixture, string lines)
    {
        var path = TestDataFiles.Fixture(fixture);
        await using var source = RecordedFileSource.Open(path, PostFormat.Auto, ReplaySpeed.Max, TimeProvider.System);

        var chunk = await source.ReadAsync(TestContext.Current.CancellationToken);

        Assert.True(chunk.IsFinal);
        Assert.Equal(lines, Encoding.UTF8.GetString(chunk.Lines.Span));
        Assert.Equal(lines.TrimEnd('\n').Split(' '), Assert.Single(chunk.Posts!).Hashtags);
        Assert.Equal(new SourcePosition(source.Run, new FileInfo(path).Length), chunk.Position);
        Assert.Equal(0, chunk.SkippedLines);
    }

    [Fact]
    public async Task ReadAsync_RecordedPace_ReleasesEachPostWhenDue()
    {
        var path = Write(Jetstream(0, "a"), Jetstream(1_000_000, "b"), Jetstream(3_000_000, "c"));
        var time = new FakeTimeProvider();
        await using var source = RecordedFileSource.Open(path, PostFormat.Auto, ReplaySpeed.Recorded, time);
        var cancellationToken = TestContext.Current.CancellationToken;

        Assert.Equal("a\n", Lines(await source.ReadAsync(cancellationToken)));

        var second = source.ReadAsync(cancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("b\n", Lines(await second));

        var third = source.ReadAsync(cancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var last = await third;
        Assert.Equal("c\n", Lines(last));
        Assert.True(last.IsFinal);
    }

    [Fact]
    public async Task ReadAsync_TenTimesFaster_WaitsATenthOfTheGap()
    {
        var path = Write(Jetstream(0, "a"), Jetstream(10_000_000, "b"));
        var time = new FakeTimeProvider();
        await using var source = RecordedFileSource.Open(path, PostFormat.Jetstream, new ReplaySpeed(10), time);
        var cancellationToken = TestContext.Current.CancellationToken;
        await source.ReadAsync(cancellationToken);

        var second = source.ReadAsync(cancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("b\n", Lines(await second));
    }

    [Fact]
    public async Task ReadAsync_PostsDueTogether_OneChunk()
    {
        var path = Write(Jetstream(0, "a"), Jetstream(0, "b"), Jetstream(5_000_000, "c"));
        await using var source = RecordedFileSource.Open(path, PostFormat.Jetstream, ReplaySpeed.Recorded, new FakeTimeProvider());

        var chunk = await source.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal("a\nb\n", Lines(chunk));
        Assert.False(chunk.IsFinal);
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileWaiting_PostReleasedByTheNextRead()
    {
        var path = Write(Jetstream(0, "a"), Jetstream(1_000_000, "b"));
        var time = new FakeTimeProvider();
        await using var source = RecordedFileSource.Open(path, PostFormat.Jetstream, ReplaySpeed.Recorded, time);
        await source.ReadAsync(TestContext.Current.CancellationToken);

        using (var cancellation = new CancellationTokenSource())
        {
            var waiting = source.ReadAsync(cancellation.Token);
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        }

        var next = source.ReadAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(1));
        var chunk = await next;
        Assert.Equal("b\n", Lines(chunk));
        Assert.True(chunk.IsFinal);
    }

    [Fact]
    public async Task ReadAsync_CancelledAfterSkippingABadRecord_SkipCountedInTheNextChunk()
    {
        // 1024 posts fill the first chunk, so the second read starts with the bad record, then waits for the last post.
        var lines = Enumerable.Range(0, 1024).Select(i => Jetstream(0, "t" + i)).Append("{broken").Append(Jetstream(1_000_000, "last"));
        var path = Write([.. lines]);
        var time = new FakeTimeProvider();
        await using var source = RecordedFileSource.Open(path, PostFormat.Jetstream, ReplaySpeed.Recorded, time);
        Assert.Equal(1024, (await source.ReadAsync(TestContext.Current.CancellationToken)).Posts!.Count);

        using (var cancellation = new CancellationTokenSource())
        {
            var waiting = source.ReadAsync(cancellation.Token);
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        }

        var next = source.ReadAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(1));
        var chunk = await next;
        Assert.Equal("last\n", Lines(chunk));
        Assert.Equal(1, chunk.SkippedLines);
    }

    [Fact]
    public async Task Open_ResumeFromAChunkPosition_ContinuesWithTheNextPostOnly()
    {
        var path = Write(Jetstream(0, "a"), Jetstream(1_000_000, "b"), Jetstream(2_000_000, "c"));
        SourcePosition position;
        await using (var first = RecordedFileSource.Open(path, PostFormat.Auto, ReplaySpeed.Recorded, new FakeTimeProvider()))
        {
            position = (await first.ReadAsync(TestContext.Current.CancellationToken)).Position!.Value;
        }

        await using var resumed = RecordedFileSource.Open(path, PostFormat.Auto, ReplaySpeed.Max, TimeProvider.System, position);
        var chunk = await resumed.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal("b\nc\n", Lines(chunk));
        Assert.Equal(PostFormat.Jetstream, resumed.Format);
    }

    [Fact]
    public void Open_PositionOfAnotherFile_Refused()
    {
        var path = Write(Jetstream(0, "a"));
        var other = new SourcePosition("replay:/elsewhere#0000000000000000", 10);

        Assert.Throws<ArgumentException>(() => RecordedFileSource.Open(path, PostFormat.Auto, ReplaySpeed.Max, TimeProvider.System, other));
    }

    [Fact]
    public async Task ReadAsync_BadRecords_CountedReportedAndGoodOnesKept()
    {
        var path = Write(
            Jetstream(0, "a"),
            "{broken",
            """{"did":"d","time_us":1,"kind":"commit","commit":5}""",
            Jetstream(0, "b"),
            "{broken",
            "{broken",
            "{broken",
            "{broken");
        var status = new StatusList();
        await using var source = RecordedFileSource.Open(path, PostFormat.Jetstream, ReplaySpeed.Max, TimeProvider.System, status: status);

        var chunk = await source.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal("a\nb\n", Lines(chunk));
        Assert.Equal(6, chunk.SkippedLines);
        Assert.All(status.Items, s => Assert.Equal(new("replay", SourceSeverity.Warning), (s.Source, s.Severity)));
        Assert.Equal(
            ["recording.jsonl line 2: skipped: invalid JSON",
             "recording.jsonl line 3: skipped: commit is not an object",
             "recording.jsonl line 5: skipped: invalid JSON",
             "recording.jsonl line 6: skipped: invalid JSON",
             "recording.jsonl: 2 more records like that: skipped: invalid JSON"],
            status.Items.Select(s => s.Message));
    }

    [Theory]
    [InlineData("max", double.PositiveInfinity)]
    [InlineData("1x", 1.0)]
    [InlineData("10x", 10.0)]
    [InlineData("0.5x", 0.5)]
    [InlineData("3", 3.0)]
    public void ReplaySpeed_TryParse_Valid(string text, double factor)
    {
        Assert.True(ReplaySpeed.TryParse(text, out var speed));
        Assert.Equal(factor, speed.Factor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("-2x")]
    [InlineData("fast")]
    public void ReplaySpeed_TryParse_Invalid(string text) => Assert.False(ReplaySpeed.TryParse(text, out _));

    private static string Lines(PostChunk chunk) => Encoding.UTF8.GetString(chunk.Lines.Span);

    private static string Jetstream(long offsetMicros, string tag) =>
        "{\"did\":\"did:plc:a\",\"time_us\":" + (StartMicros + offsetMicros)
        + ",\"kind\":\"commit\",\"commit\":{\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"k"
        + offsetMicros + tag + "\",\"record\":{\"text\":\"#" + tag + "\"}}}";

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_directory.FullName, "recording.jsonl");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }
}
