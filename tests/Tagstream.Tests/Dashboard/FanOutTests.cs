using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Tagstream.Cli.Dashboard;
using Tagstream.Streaming;
using Xunit;

namespace Tagstream.Tests.Dashboard;

public sealed class FanOutTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Publish_SubscriberThatNeverReads_KeepsOnlyTheNewestFrame()
    {
        var broadcaster = new FrameBroadcaster();
        using var stalled = broadcaster.Subscribe();

        for (var batch = 1; batch <= 1000; batch++)
        {
            broadcaster.Publish(Frame(batch));
        }

        Assert.True(stalled.Frames.TryRead(out var only));
        Assert.Equal(1000, only.Batch.Batch);
        Assert.False(stalled.Frames.TryRead(out _));
        Assert.Equal(999, broadcaster.DroppedFrames);
    }

    [Fact]
    public void Subscribe_AfterBatches_StartsFromTheLatest()
    {
        var broadcaster = new FrameBroadcaster();
        broadcaster.Publish(Frame(1));
        broadcaster.Publish(Frame(2));

        using var late = broadcaster.Subscribe();
        broadcaster.Publish(Frame(3));

        Assert.True(late.Frames.TryRead(out var frame));
        Assert.Equal(3, frame.Batch.Batch);
        Assert.Equal(1, broadcaster.DroppedFrames);
    }

    [Fact]
    public void Dispose_RemovesTheSubscriber()
    {
        var broadcaster = new FrameBroadcaster();
        var first = broadcaster.Subscribe();
        using var second = broadcaster.Subscribe();

        first.Dispose();
        broadcaster.Publish(Frame(1));

        Assert.Equal(1, broadcaster.SubscriberCount);
        Assert.True(second.Frames.TryRead(out _));
        Assert.False(first.Frames.TryRead(out _));
    }

    [Fact]
    public async Task Stream_StalledClient_DoesNotDelayTheProducerOrOtherClients()
    {
        await using var host = await DashboardHost.StartAsync();
        // A client that asks for the stream and then never reads: its socket buffers fill and the server's writes
        // to it stop completing.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(host.Server.Url.Host, host.Server.Url.Port, Cancel);
        await stalled.SendAsync(Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:{host.Server.Url.Port}\r\n\r\n")), Cancel);
        await using var reader = await SseReader.OpenAsync(host.Server.Url, "/api/stream", Cancel);
        Assert.Equal("hello", (await reader.ReadEventAsync(Cancel)).Name);
        while (Metric(host, "tagstream_dashboard_clients") < 2)
        {
            await Task.Delay(10, Cancel);
        }

        // About 100 kB of JSON per batch, 10 MB in all: far more than the stalled client's socket buffers hold.
        const int Batches = 100;
        for (var batch = 1; batch <= Batches; batch++)
        {
            await host.Server.Sink.OnBatchAsync(BigBatch(batch), Cancel);
        }

        SseMessage message;
        do
        {
            message = await reader.ReadEventAsync(Cancel);
        }
        while (message.Id != Batches.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(2, Metric(host, "tagstream_dashboard_clients"));
        Assert.True(Metric(host, "tagstream_dashboard_dropped_frames_total") > 0, "the stalled client should have skipped frames");
    }

    private static double Metric(DashboardHost host, string name) =>
        host.Server.Metrics.Render().Split('\n')
            .Where(line => line.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(static line => double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture))
            .Single();

    private static BatchResult BigBatch(long number)
    {
        var top = Enumerable.Range(0, 20)
            .Select(i => new HashtagCount(new string((char)('a' + i), 5000), number * (20 - i)))
            .ToArray();
        return TestBatches.Make(number) with { Top = top };
    }

    private static DashboardFrame Frame(long batch) => new(TestBatches.Make(batch, count: 1), new Dictionary<DashboardView, ViewFrame>());
}
