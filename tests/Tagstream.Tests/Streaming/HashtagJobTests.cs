using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tagstream.Sources;
using Tagstream.Sources.Synthetic;
using Tagstream.Streaming;
using Tagstream.Tests.Counting;
using Tagstream.Tests.Sources;
using Xunit;

namespace Tagstream.Tests.Streaming;

public sealed class HashtagJobTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_QuietSource_ClosesABatchAtEveryInterval()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var source = new ScriptedSource();
        var sink = new RecordingSink();
        await using var job = new HashtagJob(source, new HashtagJobOptions { Interval = TimeSpan.FromSeconds(10), Top = 3, TimeProvider = clock });
        job.AddSink(sink);
        Task run = job.RunAsync(Token);

        source.Push("b a b\nc b\n");
        await WaitUntilAsync(() => source.Pending == 0);
        BatchResult first = await NextBatchAfterAsync(clock, sink, TimeSpan.FromSeconds(10));
        source.Push("a a a a\n");
        await WaitUntilAsync(() => source.Pending == 0);
        BatchResult second = await NextBatchAfterAsync(clock, sink, TimeSpan.FromSeconds(10));
        BatchResult third = await NextBatchAfterAsync(clock, sink, TimeSpan.FromSeconds(10));
        source.End();
        await run;

        Assert.Equal((1, 2, 5), (first.Batch, first.Posts, first.Tags));
        Assert.Equal([("b", 3L), ("a", 1L), ("c", 1L)], first.Top.Select(t => (t.Hashtag, t.Total)));
        Assert.Equal(clock.Start.AddSeconds(10), first.Time);
        Assert.Equal((2, 1, 4), (second.Batch, second.Posts, second.Tags));
        Assert.Equal([("a", 5L), ("b", 3L), ("c", 1L)], second.Top.Select(t => (t.Hashtag, t.Total)));
        Assert.Equal((3, 0, 0, 3L), (third.Batch, third.Posts, third.Tags, third.TotalPosts));
        Assert.True(sink.Completed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RunAsync_SourceEnds_LastBatchHoldsTheReferenceTotals(int workers)
    {
        var options = new SyntheticOptions { Seed = 99, Vocabulary = 20_000 };
        byte[] stream = await ReadAllAsync(new LimitedSource(new SyntheticSource(options), 40_000));
        var reference = new NaiveReference();
        reference.Count(stream);
        reference.CloseBatch();

        var sink = new RecordingSink();
        await using var job = new HashtagJob(new LimitedSource(new SyntheticSource(options), 40_000), new HashtagJobOptions { Top = 20, Workers = workers });
        job.AddSink(sink);
        await job.RunAsync(Token);

        BatchResult last = job.LastBatch!;
        Assert.Equal(reference.Posts, last.TotalPosts);
        Assert.Equal(reference.Tags, last.TotalTags);
        Assert.Equal(reference.Totals.Count, last.DistinctTags);
        Assert.Equal(reference.Top(20), last.Top.Select(t => (t.Hashtag, t.Total)).ToList());
    }

    [Fact]
    public async Task RemoveSink_AfterABatch_TheSinkGetsNoMore()
    {
        var clock = new FakeTimeProvider();
        var source = new ScriptedSource();
        var kept = new RecordingSink();
        var removed = new RecordingSink();
        await using var job = new HashtagJob(source, new HashtagJobOptions { Interval = TimeSpan.FromSeconds(1), TimeProvider = clock });
        job.AddSink(kept);
        job.AddSink(removed);
        Task run = job.RunAsync(Token);

        await NextBatchAfterAsync(clock, kept, TimeSpan.FromSeconds(1));
        await removed.Batches.Reader.ReadAsync(Token);
        Assert.True(job.RemoveSink(removed));
        Assert.False(job.RemoveSink(removed));
        await NextBatchAfterAsync(clock, kept, TimeSpan.FromSeconds(1));
        source.End();
        await run;

        Assert.False(removed.Batches.Reader.TryRead(out _));
    }

    [Fact]
    public async Task RunAsync_Cancelled_DeliversTheOpenBatchAndReturns()
    {
        var source = new ScriptedSource();
        var sink = new RecordingSink();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        await using var job = new HashtagJob(source, new HashtagJobOptions { Interval = TimeSpan.FromHours(1) });
        job.AddSink(sink);
        Task run = job.RunAsync(stop.Token);
        source.Push("x y x\n");
        await WaitUntilAsync(() => source.Pending == 0);
        await Task.Delay(50, Token);

        await stop.CancelAsync();
        await run;

        BatchResult last = await sink.Batches.Reader.ReadAsync(Token);
        Assert.Equal([("x", 2L), ("y", 1L)], last.Top.Select(t => (t.Hashtag, t.Total)));
    }

    [Fact]
    public void Constructor_InvalidOptions_SaysWhy()
    {
        var error = Assert.Throws<ArgumentException>(() => new HashtagJob(new ScriptedSource(), new HashtagJobOptions { Interval = TimeSpan.Zero }));
        Assert.Contains("interval", error.Message, StringComparison.Ordinal);
    }

    private static async Task<BatchResult> NextBatchAfterAsync(FakeTimeProvider clock, RecordingSink sink, TimeSpan step)
    {
        // Let the job reach its wait before moving the clock past the deadline.
        await Task.Delay(30, Token);
        clock.Advance(step);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        return await sink.Batches.Reader.ReadAsync(timeout.Token);
    }

    private static async Task<byte[]> ReadAllAsync(PostSource source)
    {
        var bytes = new MemoryStream();
        while (true)
        {
            PostChunk chunk = await source.ReadAsync(Token);
            bytes.Write(chunk.Lines.Span);
            if (chunk.IsFinal)
            {
                return bytes.ToArray();
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
