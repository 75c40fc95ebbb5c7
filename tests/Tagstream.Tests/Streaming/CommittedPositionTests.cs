using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Tagstream.Feed;
using Tagstream.Sources.Lines;
using Tagstream.Sources;
using Tagstream.Streaming;
using Tagstream.Tests.Sources;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Streaming;

/// <summary>Every commit carries the position the source stands at: never none when it has one, never a stale one.</summary>
public sealed class CommittedPositionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_EmptyCheckpoint_CommitsTheFeedsAnswerBeforeAnyLine()
    {
        // The feed already sent two lines to another client; the counter starts at line 2 and is "killed" (its folder
        // copied) as soon as its first commit is on disk, before any line and long before its first interval ends.
        await using var server = new FeedServer(new FeedServerOptions { Port = 0, HelloTimeout = TimeSpan.FromHours(1) });
        int port = server.Start().Port;
        var lines = new ScriptedSource();
        Task<long> feeding = server.RunAsync(lines, Token);
        using var plain = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await plain.ConnectAsync(System.Net.IPAddress.Loopback, port, Token);
        await plain.SendAsync("\n"u8.ToArray(), Token);
        lines.Push("a\nb\n");
        await WaitUntilAsync(() => server.Lines == 2);

        using var folder = new TempDirectory();
        using var copy = new TempDirectory();
        var options = new HashtagJobOptions
        {
            Interval = TimeSpan.FromHours(1),
            CheckpointDirectory = folder.Path,
            TimeProvider = new FakeTimeProvider(),
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        await using (var job = new HashtagJob(at => new FeedSocketSource(new FeedSocketOptions { Port = port, ResumeFrom = at }), options))
        {
            Task counting = job.RunAsync(stop.Token);
            string firstCommit = Path.Combine(folder.Path, $"{1:D19}.delta");
            await WaitUntilAsync(() => File.Exists(firstCommit) || counting.IsCompleted);
            foreach (string file in Directory.GetFiles(folder.Path).Where(f => Path.GetFileName(f) != "LOCK"))
            {
                File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
            }

            await stop.CancelAsync();
            await counting;
        }

        lines.End();
        await feeding;
        using var recovered = new JobState(options with { CheckpointDirectory = copy.Path }, status: null);
        Assert.Equal(new SourcePosition(server.RunId, 2), recovered.ResumeAt);
    }

    [Fact]
    public async Task CloseBatch_LinesCountedWithoutAPositionAfterOne_CommitNoPosition()
    {
        using var folder = new TempDirectory();
        var options = new HashtagJobOptions { CheckpointDirectory = folder.Path };
        using (var state = new JobState(options, status: null))
        {
            state.Count(new PostChunk("a b\n"u8.ToArray(), null, 0, new SourcePosition("run", 1), isFinal: false));
            state.CloseBatch("test");

            // The source lost its position (a plain server): these lines follow no line of "run".
            state.Count(new PostChunk("c\n"u8.ToArray(), null, 0, null, isFinal: false));
            state.CloseBatch("test");
            await state.FlushAsync();
        }

        using var restarted = new JobState(options, status: null);
        Assert.Null(restarted.ResumeAt);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
