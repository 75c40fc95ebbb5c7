using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Tagstream.Feed;
using Tagstream.Sinks;
using Tagstream.Sources;
using Tagstream.Sources.Synthetic;
using Tagstream.Streaming;
using Tagstream.Tests.Counting;
using Tagstream.Tests.Streaming;
using Xunit;

namespace Tagstream.Tests.Api;

/// <summary>The library used as a program outside it would: public types only, real sockets, the naive reference.</summary>
public sealed class PublicApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Library_GrantsNoInternalsToTheCli()
    {
        // "No private back doors": the tagstream command is built on the same public API as any user's program.
        string[] friends = [.. typeof(HashtagJob).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];

        Assert.DoesNotContain(friends, f => f.StartsWith("Tagstream.Cli", StringComparison.Ordinal));
        Assert.NotEmpty(friends);
    }

    [Theory]
    [InlineData(0.0, 20, 1, "The interval must be between 10 ms and 1 day, not 00:00:00.")]
    [InlineData(10.0, 0, 1, "The ranking size must be between 1 and")]
    [InlineData(10.0, 20, 0, "Workers must be between 1 and")]
    public void HashtagJob_InvalidOptions_ThrowsWithTheMessage(double seconds, int top, int workers, string message)
    {
        var options = new HashtagJobOptions { Interval = TimeSpan.FromSeconds(seconds), Top = top, Workers = workers };

        Assert.StartsWith(message, options.Validate(), StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => new HashtagJob(new SyntheticSource(new SyntheticOptions()), options));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void Options_Defaults_AreValidAndFollowTheOriginal()
    {
        var job = new HashtagJobOptions();
        var socket = new FeedSocketOptions();
        var server = new FeedServerOptions();

        Assert.Null(job.Validate());
        Assert.Null(socket.Validate());
        Assert.Null(server.Validate());
        Assert.Null(new SyntheticOptions().Validate());
        Assert.Equal((TimeSpan.FromSeconds(10), 20), (job.Interval, job.Top));
        Assert.Equal(("127.0.0.1", 9876), (socket.Host, socket.Port));
        Assert.Equal((IPAddress.Loopback, 9876), (server.Address, server.Port));
    }

    [Theory]
    [InlineData("", 9876, "The feed's host is empty.")]
    [InlineData("127.0.0.1", 0, "The feed's port must be between 1 and 65535, not 0.")]
    [InlineData("127.0.0.1", 65536, "The feed's port must be between 1 and 65535, not 65536.")]
    public void FeedSocketOptions_Invalid_SaysWhy(string host, int port, string message) =>
        Assert.Equal(message, new FeedSocketOptions { Host = host, Port = port }.Validate());

    [Fact]
    public void OtherOptions_Invalid_SayWhy()
    {
        Assert.Equal("--port must be between 0 and 65535, not 70000.", new FeedServerOptions { Port = 70000 }.Validate());
        Assert.Equal("--vocabulary must be between 1 and 50000000, not 0.", new SyntheticOptions { Vocabulary = 0 }.Validate());
        Assert.Equal("--rate must be a positive number of posts per second, not -1.", new SyntheticOptions { Rate = -1 }.Validate());
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaitingForAFeed_ReturnsAndCompletesTheSinks()
    {
        // A feed that accepts and then says nothing: the job waits in the socket read when it is cancelled.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var source = new FeedSocketSource(new FeedSocketOptions { Port = ((IPEndPoint)listener.LocalEndpoint).Port });
        var sink = new RecordingSink();
        await using var job = new HashtagJob(source, new HashtagJobOptions { Interval = TimeSpan.FromHours(1) });
        job.AddSink(sink);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        Task run = job.RunAsync(stop.Token);
        using Socket feed = await listener.AcceptSocketAsync(Token);
        await stop.CancelAsync();
        await run;

        Assert.True(run.IsCompletedSuccessfully);
        Assert.True(sink.Completed);
        BatchResult last = Assert.Single(sink.Batches.Reader.ReadAllAsync(Token).ToBlockingEnumerable(Token));
        Assert.Equal((1L, 0L, 0L), (last.Batch, last.TotalPosts, last.TotalTags));
        await Assert.ThrowsAsync<InvalidOperationException>(() => job.RunAsync(Token));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task FeedServerToJob_RandomStreams_TotalsAndTopEqualTheReference(int seed)
    {
        // The two programs of the original, in-process and over a real loopback socket: a feed of random lines
        // (runs of spaces and tabs, CRLF, empty lines, non-ASCII tags, a last line without a newline) and a job.
        byte[] stream = RandomStream(new Random(seed), lines: 3000);
        var reference = new NaiveReference();
        reference.Count(stream);
        reference.CloseBatch();

        await using var server = new FeedServer(new FeedServerOptions { Port = 0 });
        IPEndPoint endPoint = server.Start();
        Task<long> feed = server.RunAsync(new ProtocolStreamSource(new MemoryStream(stream), "random"), Token);
        var source = new FeedSocketSource(new FeedSocketOptions { Port = endPoint.Port, UntilEof = true });
        var chart = new StringWriter(CultureInfo.InvariantCulture);
        await using var job = new HashtagJob(source, new HashtagJobOptions { Interval = TimeSpan.FromMilliseconds(50), Top = 25 });
        job.AddSink(new TextChartSink(chart));
        await job.RunAsync(Token);

        Assert.Equal(reference.Posts, await feed);
        BatchResult last = job.LastBatch!;
        Assert.Equal((reference.Posts, reference.Tags, (long)reference.Totals.Count), (last.TotalPosts, last.TotalTags, last.DistinctTags));
        Assert.Equal(reference.Top(25), last.Top.Select(t => (t.Hashtag, t.Total)).ToList());
        Assert.EndsWith(new TextChartSink(chart).Render(last), chart.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sinks_AddedAndRemovedWhileRunning_GetExactlyTheBatchesInBetween()
    {
        var source = new SyntheticSource(new SyntheticOptions { Rate = 2000, Vocabulary = 100 });
        await using var job = new HashtagJob(source, new HashtagJobOptions { Interval = TimeSpan.FromMilliseconds(20) });
        var first = new RecordingSink();
        var late = new RecordingSink();
        job.AddSink(first);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        Task run = job.RunAsync(stop.Token);

        BatchResult one = await first.Batches.Reader.ReadAsync(Token);
        job.AddSink(late);
        BatchResult joined = await late.Batches.Reader.ReadAsync(Token);
        Assert.True(job.RemoveSink(first));
        BatchResult after = await late.Batches.Reader.ReadAsync(Token);
        await stop.CancelAsync();
        await run;

        // The removed sink is never completed: take what it got without waiting for more.
        var firstSaw = new List<long> { one.Batch };
        while (first.Batches.Reader.TryRead(out BatchResult? batch))
        {
            firstSaw.Add(batch.Batch);
        }

        Assert.True(joined.Batch > one.Batch);
        Assert.Contains(joined.Batch, firstSaw);
        Assert.True(after.Batch > joined.Batch);
        Assert.All(firstSaw, b => Assert.True(b <= joined.Batch + 1, "a removed sink gets at most the batch being delivered"));
        Assert.Equal(Enumerable.Range(1, firstSaw.Count).Select(b => (long)b), firstSaw);
        Assert.False(first.Completed);
        Assert.True(late.Completed);
        Assert.False(job.RemoveSink(first));
    }

    [Fact]
    public void TextChartSink_Render_DrawsTheTimeAndScaledBars()
    {
        var time = new DateTimeOffset(2026, 11, 26, 12, 0, 5, TimeSpan.Zero);
        var batch = new BatchResult(3, time, "test", 2, 6, 10, 30, 0, 3,
            [new HashtagCount("football", 8), new HashtagCount("é", 3), new HashtagCount("z", 1)]);

        string text = new TextChartSink(TextWriter.Null, barWidth: 8).Render(batch);

        Assert.Equal(
            $"TIME: {time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}\n" +
            "1 football ######## 8\n" +
            "2 é        ### 3\n" +
            "3 z        # 1\n",
            text);
        Assert.EndsWith("(no hashtags yet)\n", new TextChartSink(TextWriter.Null).Render(batch with { Top = [] }), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextChartSink(TextWriter.Null, barWidth: 0));
    }

    private static byte[] RandomStream(Random random, int lines)
    {
        string[] vocabulary = TestSupport.RandomTags.Vocabulary(random, 300);
        var text = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            int tags = random.Next(0, 6);
            for (int t = 0; t < tags; t++)
            {
                text.Append(random.Next(4) == 0 ? " \t " : " ").Append(vocabulary[(int)(random.NextDouble() * random.NextDouble() * vocabulary.Length)]);
            }

            if (i < lines - 1)
            {
                text.Append(random.Next(5) == 0 ? "\r\n" : "\n");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
