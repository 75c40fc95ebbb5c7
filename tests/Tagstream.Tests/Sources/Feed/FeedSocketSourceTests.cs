using System.Net.Sockets;
using System.Text;
using Tagstream.Feed;
using Tagstream.Sources.Lines;
using Tagstream.Sources;
using Tagstream.Tests.Sources.Replay;
using Xunit;

namespace Tagstream.Tests.Sources.Feed;

/// <summary>
/// The counter's side of the feed protocol against scripted servers: what it counts when a feed answers, crashes, ends
/// its run, or turns out to be a plain server.
/// </summary>
public sealed class FeedSocketSourceTests
{
    private const string Key = "k3y";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_FeedAnswers_FirstChunkIsThePositionWithoutLines()
    {
        await using var server = new ScriptedLineServer();
        await using var source = new FeedSocketSource(Options(server));
        Task<PostChunk> first = source.ReadAsync(Token).AsTask();
        (Socket feed, string? hello) = await server.AcceptAsync(readHello: true, Token);
        using Socket held = feed;
        await ScriptedLineServer.SendAsync(feed, Answer("r1", 40), Token);

        PostChunk chunk = await first;
        Assert.Equal("TAGSTREAM/2 START", hello);
        Assert.True(chunk.Lines.IsEmpty);
        Assert.Equal(new SourcePosition("r1", 40), chunk.Position);
    }

    [Fact]
    public async Task ReadAsync_FeedClosesWithoutTheEndMarker_ReconnectsAndResumesEvenUntilEof()
    {
        await using var server = new ScriptedLineServer();
        await using var source = new FeedSocketSource(Options(server) with { UntilEof = true });
        Task<List<string>> reading = ReadAllLinesAsync(source);

        (Socket first, _) = await server.AcceptAsync(readHello: true, Token);
        await ScriptedLineServer.SendAsync(first, Answer("r1", 0), Token);
        Assert.Equal("TAGSTREAM/2 GO", await ScriptedLineServer.ReadLineAsync(first, Token));
        await ScriptedLineServer.SendAsync(first, "a\nb\nhalf a li", Token);
        ScriptedLineServer.Close(first);

        (Socket second, string? hello) = await server.AcceptAsync(readHello: true, Token);
        using Socket held = second;
        Assert.Equal("TAGSTREAM/2 RESUME run=r1 line=2", hello);
        await ScriptedLineServer.SendAsync(second, Answer("r1", 2) + "half a line\nc\n", Token);
        await ScriptedLineServer.SendAsync(second, ResumeHandshake.FormatEndMarker("r1", 4, Key), Token);
        ScriptedLineServer.Close(second);

        Assert.Equal(["a", "b", "half a line", "c"], await reading);
    }

    [Fact]
    public async Task ReadAsync_LineLikeTheMarkerWithAnotherKey_IsCountedAsALine()
    {
        await using var server = new ScriptedLineServer();
        await using var source = new FeedSocketSource(Options(server) with { UntilEof = true });
        Task<List<string>> reading = ReadAllLinesAsync(source);
        (Socket feed, _) = await server.AcceptAsync(readHello: true, Token);
        using Socket held = feed;
        byte[] forged = ResumeHandshake.FormatEndMarker("r1", 1, "other");
        await ScriptedLineServer.SendAsync(feed, Answer("r1", 0), Token);
        Assert.Equal("TAGSTREAM/2 GO", await ScriptedLineServer.ReadLineAsync(feed, Token));
        await ScriptedLineServer.SendAsync(feed, "a\n", Token);
        await ScriptedLineServer.SendAsync(feed, forged, Token);
        await ScriptedLineServer.SendAsync(feed, ResumeHandshake.FormatEndMarker("r1", 2, Key), Token);
        ScriptedLineServer.Close(feed);

        Assert.Equal(["a", Encoding.UTF8.GetString(forged).TrimEnd('\n')], await reading);
    }

    [Fact]
    public async Task ReadAsync_PlainLinesWhileHoldingAPosition_AreNotCountedAndTheSourceReconnects()
    {
        // A feed that took the counter for a plain client (its hello came late) sends plain lines from its live end.
        await using var server = new ScriptedLineServer();
        var status = new StatusList();
        await using var source = new FeedSocketSource(Options(server) with { UntilEof = true, ResumeFrom = new SourcePosition("r1", 7) }, status);
        Task<List<string>> reading = ReadAllLinesAsync(source);

        (Socket plain, string? firstHello) = await server.AcceptAsync(readHello: true, Token);
        await ScriptedLineServer.SendAsync(plain, "live1\nlive2\n", Token);
        (Socket feed, string? hello) = await server.AcceptAsync(readHello: true, Token);
        plain.Dispose();
        using Socket held = feed;
        await ScriptedLineServer.SendAsync(feed, Answer("r1", 7) + "l7\nl8\n", Token);
        await ScriptedLineServer.SendAsync(feed, ResumeHandshake.FormatEndMarker("r1", 9, Key), Token);
        ScriptedLineServer.Close(feed);

        Assert.Equal(["l7", "l8"], await reading);
        Assert.Equal("TAGSTREAM/2 RESUME run=r1 line=7", firstHello);
        Assert.Equal("TAGSTREAM/2 RESUME run=r1 line=7", hello);
        Assert.Contains(status.Items, s => s.Message.Contains("sent plain lines instead of answering", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_PlainLinesAfterAPosition_ChunksCarryNoPosition()
    {
        // No position yet: a plain server is counted, and no chunk claims a position its lines do not follow.
        await using var server = new ScriptedLineServer();
        await using var source = new FeedSocketSource(Options(server) with { UntilEof = true });
        Task<PostChunk> connecting = source.ReadAsync(Token).AsTask();
        (Socket plain, _) = await server.AcceptAsync(readHello: true, Token);
        using Socket held = plain;
        await ScriptedLineServer.SendAsync(plain, "x y\n", Token);

        Assert.Null((await connecting).Position);
        PostChunk lines = await source.ReadAsync(Token);
        Assert.Equal("x y\n", Encoding.UTF8.GetString(lines.Lines.Span));
        Assert.Null(lines.Position);
    }

    [Fact]
    public async Task ReadAsync_PlainServerLastLineWithoutNewline_IsAPost()
    {
        await using var server = new ScriptedLineServer();
        await using var source = new FeedSocketSource(Options(server) with { UntilEof = true });
        Task<List<string>> reading = ReadAllLinesAsync(source);
        (Socket plain, _) = await server.AcceptAsync(readHello: false, Token);
        await ScriptedLineServer.SendAsync(plain, "a b\nc d", Token);
        ScriptedLineServer.Close(plain);

        Assert.Equal(["a b", "c d"], await reading);
    }

    [Fact]
    public async Task ReadAsync_PlainServerOption_SendsNoHelloAndCountsFromAPosition()
    {
        await using var server = new ScriptedLineServer();
        var options = Options(server) with { UntilEof = true, PlainServer = true, ResumeFrom = new SourcePosition("r1", 3) };
        await using var source = new FeedSocketSource(options);
        Task<List<string>> reading = ReadAllLinesAsync(source);
        (Socket plain, _) = await server.AcceptAsync(readHello: false, Token);
        using Socket held = plain;
        await ScriptedLineServer.SendAsync(plain, "a\nb\n", Token);
        plain.Shutdown(SocketShutdown.Send);

        Assert.Equal(["a", "b"], await reading);
        Assert.Equal(0, await plain.ReceiveAsync(new byte[64], SocketFlags.None, Token));
    }

    [Fact]
    public async Task ReadAsync_NoFeedForLongerThanTheConnectTimeout_GivesUpWithOneLine()
    {
        int port;
        using (var closed = new ScriptedLineServerPort())
        {
            port = closed.Port;
        }

        var options = new FeedSocketOptions
        {
            Port = port,
            UntilEof = true,
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
            MinRetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        };
        await using var source = new FeedSocketSource(options);

        var error = await Assert.ThrowsAsync<IOException>(async () => await source.ReadAsync(Token));
        Assert.StartsWith($"Could not reach the feed at 127.0.0.1:{port} for ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(last: connection refused); giving up.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static FeedSocketOptions Options(ScriptedLineServer server) => new()
    {
        Port = server.Port,
        MinRetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
    };

    private static string Answer(string run, long line) => $"TAGSTREAM/2 OK run={run} line={line} missing=0 end={Key}\n";

    private static async Task<List<string>> ReadAllLinesAsync(FeedSocketSource source)
    {
        var text = new StringBuilder();
        for (int reads = 0; reads < 10_000; reads++)
        {
            PostChunk chunk = await source.ReadAsync(Token);
            text.Append(Encoding.UTF8.GetString(chunk.Lines.Span));
            if (chunk.IsFinal)
            {
                return [.. text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
            }
        }

        throw new InvalidOperationException("The source never ended.");
    }

    /// <summary>A loopback port that was free a moment ago: bound, then released.</summary>
    private sealed class ScriptedLineServerPort : IDisposable
    {
        private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);

        public ScriptedLineServerPort()
        {
            _socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            Port = ((System.Net.IPEndPoint)_socket.LocalEndPoint!).Port;
        }

        public int Port { get; }

        public void Dispose() => _socket.Dispose();
    }
}
