using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Tagstream.Feed;
using Tagstream.Tests.Sources;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Protocol;

public sealed class FeedServerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_TwoPlainClients_EachGetsTheLinesFromWhenItJoined()
    {
        var observer = new RecordingObserver();
        await using var server = new FeedServer(new FeedServerOptions { Port = 0, HelloTimeout = TimeSpan.FromMilliseconds(50) }, observer);
        int port = server.Start().Port;
        var source = new ScriptedSource();
        Task<long> run = server.RunAsync(source, Token);

        using Socket first = await ConnectAsync(port);
        await observer.Connected.Reader.ReadAsync(Token);
        source.Push("a b\nc\n");
        await WaitUntilAsync(() => server.Lines == 2);
        using Socket second = await ConnectAsync(port);
        await observer.Connected.Reader.ReadAsync(Token);
        source.Push("d\n\ne f\n");
        source.End();

        Assert.Equal(5, await run);
        Assert.Equal("a b\nc\nd\n\ne f\n", await ReadToEndAsync(first));
        Assert.Equal("d\n\ne f\n", await ReadToEndAsync(second));
    }

    [Fact]
    public async Task RunAsync_FinalLineWithoutNewline_IsSentWithOne()
    {
        await using var server = new FeedServer(new FeedServerOptions { Port = 0, HelloTimeout = TimeSpan.FromMilliseconds(50) });
        int port = server.Start().Port;
        var source = new ScriptedSource();
        Task<long> run = server.RunAsync(source, Token);
        using Socket client = await ConnectAsync(port);
        await WaitUntilAsync(() => server.ClientCount == 1);
        source.End("x\nlast");

        Assert.Equal(2, await run);
        Assert.Equal("x\nlast\n", await ReadToEndAsync(client));
    }

    [Fact]
    public async Task RunAsync_ChunkLargerThanHalfTheRing_ReachesTheClientWhole()
    {
        // The smallest ring (2 MiB + 2 bytes) and one 5 MiB chunk of numbered lines: the ring takes it in pieces.
        var options = new FeedServerOptions { Port = 0, BufferBytes = 2 * ((1 << 20) + 1), HelloTimeout = TimeSpan.FromMilliseconds(50) };
        await using var server = new FeedServer(options);
        int port = server.Start().Port;
        var source = new ScriptedSource();
        Task<long> run = server.RunAsync(source, Token);
        using Socket client = await ConnectAsync(port);
        await WaitUntilAsync(() => server.ClientCount == 1);
        var lines = new System.Text.StringBuilder();
        for (var i = 0; lines.Length < 5 << 20; i++)
        {
            lines.Append("tag").Append(i).Append(" other").Append(i % 97).Append('\n');
        }

        Task<string> received = ReadToEndAsync(client);
        source.Push(lines.ToString());
        source.End();

        Assert.Equal(lines.ToString().Count(c => c == '\n'), await run);
        Assert.Equal(lines.ToString(), await received);
    }

    [Fact]
    public async Task RunAsync_ResumeHello_SendsFromTheRequestedLineOfThisRun()
    {
        var observer = new RecordingObserver();
        await using var server = new FeedServer(new FeedServerOptions { Port = 0 }, observer);
        int port = server.Start().Port;
        var source = new ScriptedSource();
        Task<long> run = server.RunAsync(source, Token);

        // A first client makes the feed read; then a counter asks to resume at line 2 of this run.
        using Socket plain = await ConnectAsync(port);
        source.Push("l0\nl1\n");
        source.Push("l2\nl3\nl4\n");
        await WaitUntilAsync(() => server.Lines == 5);
        using Socket counter = await ConnectAsync(port);
        await counter.SendAsync(Encoding.ASCII.GetBytes($"TAGSTREAM/1 RESUME run={server.RunId} line=3\n"), Token);
        await WaitUntilAsync(() => server.ClientCount == 2);
        source.Push("l5\n");
        source.End();
        await run;

        string received = await ReadToEndAsync(counter);
        Assert.Equal($"TAGSTREAM/1 OK run={server.RunId} line=3 missing=0\nl3\nl4\nl5\n", received);
    }

    [Fact]
    public async Task RunAsync_ResumeFromAnotherRun_StartsAtTheOldestLineAndSaysTheGapIsUnknown()
    {
        await using var server = new FeedServer(new FeedServerOptions { Port = 0 });
        int port = server.Start().Port;
        var source = new ScriptedSource();
        Task<long> run = server.RunAsync(source, Token);
        using Socket plain = await ConnectAsync(port);
        source.Push("n0\nn1\n");
        await WaitUntilAsync(() => server.Lines == 2);
        using Socket counter = await ConnectAsync(port);
        await counter.SendAsync("TAGSTREAM/1 RESUME run=older-run line=77\n"u8.ToArray(), Token);
        await WaitUntilAsync(() => server.ClientCount == 2);
        source.End();
        await run;

        Assert.Equal($"TAGSTREAM/1 OK run={server.RunId} line=0 missing=?\nn0\nn1\n", await ReadToEndAsync(counter));
    }

    [Fact]
    public async Task RunAsync_StalledClient_IsDroppedAndTheOtherGetsEveryLine()
    {
        var observer = new RecordingObserver();
        var options = new FeedServerOptions { Port = 0, BufferBytes = 3 << 20, HelloTimeout = TimeSpan.FromMilliseconds(50), FlushTimeout = TimeSpan.FromSeconds(5) };
        await using var server = new FeedServer(options, observer);
        int port = server.Start().Port;
        var source = new ScriptedSource();
        Task<long> run = server.RunAsync(source, Token);

        using Socket reader = await ConnectAsync(port);
        using var stalled = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(IPAddress.Loopback, port, Token);
        await WaitUntilAsync(() => server.ClientCount == 2);
        Task<string> reading = ReadToEndAsync(reader);

        // 40 MiB of lines: far more than the ring plus every kernel buffer between the feed and the stalled client.
        var expected = new StringBuilder();
        for (int chunk = 0; chunk < 160; chunk++)
        {
            string lines = string.Concat(Enumerable.Range(0, 4096).Select(i => $"c{chunk}_{i} tag{i % 97} x{new string('y', 40)}\n"));
            expected.Append(lines);
            source.Push(lines);
        }

        source.End();
        await run;

        Assert.Equal(expected.ToString(), await reading);
        string dropped = await observer.Dropped.Reader.ReadAsync(Token);
        Assert.Contains("too slow", dropped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResumeOlderThanTheRing_IsServedFromTheLogThenTheRing()
    {
        using var folder = new TempDirectory();
        using FeedLog log = FeedLog.Open(folder.Path, new FeedLogOptions { Source = "scripted", SegmentBytes = 256 << 10 });
        var options = new FeedServerOptions { Port = 0, BufferBytes = 3 << 20, HelloTimeout = TimeSpan.FromMilliseconds(50) };
        await using var server = new FeedServer(options, observer: null, log);
        int port = server.Start().Port;
        var source = new ScriptedSource();
        Task<long> run = server.RunAsync(source, Token);
        using Socket plain = await ConnectAsync(port);
        await WaitUntilAsync(() => server.ClientCount == 1);
        Task<string> plainReading = ReadToEndAsync(plain);

        // 10 MiB of lines: the ring holds the last 3 only.
        List<string> lines = [.. Enumerable.Range(0, 160_000).Select(i => $"l{i} tag{i % 97} {new string('z', i % 80)}\n")];
        foreach (string[] chunk in lines.Chunk(4000))
        {
            source.Push(string.Concat(chunk));
        }

        await WaitUntilAsync(() => server.Lines == lines.Count);
        using Socket counter = await ConnectAsync(port);
        await counter.SendAsync(Encoding.ASCII.GetBytes($"TAGSTREAM/1 RESUME run={server.RunId} line=5\n"), Token);
        Task<string> counterReading = ReadToEndAsync(counter);
        await WaitUntilAsync(() => server.ClientCount == 2);
        source.Push("last\n");
        source.End();
        await run;

        Assert.Equal($"TAGSTREAM/1 OK run={server.RunId} line=5 missing=0\n" + string.Concat(lines.Skip(5)) + "last\n", await counterReading);
        Assert.Equal(string.Concat(lines) + "last\n", await plainReading);
    }

    [Fact]
    public async Task RunAsync_RestartedOnTheSameLog_ContinuesTheRunAndItsNumbering()
    {
        using var folder = new TempDirectory();
        var logOptions = new FeedLogOptions { Source = "scripted" };
        var options = new FeedServerOptions { Port = 0, HelloTimeout = TimeSpan.FromMilliseconds(50) };
        string firstRun;
        using (FeedLog log = FeedLog.Open(folder.Path, logOptions))
        {
            await using var server = new FeedServer(options, observer: null, log);
            firstRun = server.RunId;
            int port = server.Start().Port;
            var source = new ScriptedSource();
            Task<long> run = server.RunAsync(source, Token);
            using Socket plain = await ConnectAsync(port);
            source.Push("a0\na1\n");
            source.Push("a2\n");
            source.End();
            Assert.Equal(3, await run);
            Assert.Equal("a0\na1\na2\n", await ReadToEndAsync(plain));
        }

        using (FeedLog log = FeedLog.Open(folder.Path, logOptions))
        {
            await using var server = new FeedServer(options, observer: null, log);
            Assert.Equal(firstRun, server.RunId);
            Assert.Equal(3, server.Lines);
            int port = server.Start().Port;
            var source = new ScriptedSource();
            Task<long> run = server.RunAsync(source, Token);
            using Socket counter = await ConnectAsync(port);
            await counter.SendAsync(Encoding.ASCII.GetBytes($"TAGSTREAM/1 RESUME run={firstRun} line=1\n"), Token);
            await WaitUntilAsync(() => server.ClientCount == 1);
            source.Push("b3\n");
            source.End();
            Assert.Equal(4, await run);
            Assert.Equal($"TAGSTREAM/1 OK run={firstRun} line=1 missing=0\na1\na2\nb3\n", await ReadToEndAsync(counter));
        }
    }

    [Fact]
    public void Start_PortInUse_Throws()
    {
        using var holder = new Socket(SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var server = new FeedServer(new FeedServerOptions { Port = port });

        var error = Assert.Throws<SocketException>(() => server.Start());
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, Token);
        return socket;
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(Token);
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

    private sealed class RecordingObserver : IFeedObserver
    {
        public Channel<EndPoint> Connected { get; } = Channel.CreateUnbounded<EndPoint>();

        public Channel<string> Dropped { get; } = Channel.CreateUnbounded<string>();

        public void ClientConnected(EndPoint client, long? resumedAt) => Connected.Writer.TryWrite(client);

        public void ClientDropped(EndPoint client, string reason) => Dropped.Writer.TryWrite(reason);
    }
}
