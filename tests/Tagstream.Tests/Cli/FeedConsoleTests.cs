using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tagstream.Cli.Terminal;
using Tagstream.Sources;
using Xunit;

namespace Tagstream.Tests.Cli;

public sealed class FeedConsoleTests
{
    private static readonly EndPoint s_client = new IPEndPoint(IPAddress.Loopback, 5000);

    [Fact]
    public async Task Posts_AfterWaitingForACounter_RateCountsOnlyTheSendingTime()
    {
        var clock = new FakeTimeProvider();
        var output = new StringWriter();
        await using (var console = new FeedConsole(output, quiet: true, clock))
        {
            clock.Advance(TimeSpan.FromSeconds(10));   // no counter yet
            console.ClientConnected(s_client, resumedAt: null);
            console.Posts(Lines(100));
            clock.Advance(TimeSpan.FromSeconds(1));
            console.Posts(Lines(100));
        }

        Assert.Equal(["Connection received from 127.0.0.1:5000", "... 200 posts/s, 200 posts sent"], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("the client closed the connection", "Client 127.0.0.1:5000 disconnected")]
    [InlineData("the client reset the connection", "Client 127.0.0.1:5000 disconnected")]
    [InlineData("it fell behind", "Error: client 127.0.0.1:5000: it fell behind")]
    public async Task ClientDropped_NormalCloseIsNotAnError(string reason, string expected)
    {
        var output = new StringWriter();
        await using (var console = new FeedConsole(output, quiet: true, new FakeTimeProvider()))
        {
            console.ClientDropped(s_client, reason);
        }

        Assert.Equal(expected, output.ToString().Trim());
    }

    private static PostChunk Lines(int count) =>
        new(System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a b\n", count))), null, 0, null, isFinal: false);
}
