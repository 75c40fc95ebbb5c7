using System.Net.Sockets;
using System.Text;
using Tagstream.Sources;
using Tagstream.Tests.Sources.Live;
using Tagstream.Tests.Sources.Live.Bluesky;

namespace Tagstream.Tests.Cli;

public sealed class FeedLiveSourceTests
{
    [Fact]
    public async Task Feed_Bluesky_ServesTheMatchingPostsHashtagsAsProtocolLinesUpToTheLimit()
    {
        string[] log =
        [
            JetstreamFakeServer.Post(20, "Hello #dotnet", ["dotnet"]),
            JetstreamFakeServer.Post(21, "Hello #rust", ["rust"]),
            """{"did":"did:plc:test","time_us":22,"kind":"identity","identity":{"did":"did:plc:test","handle":"a.test","seq":1,"time":"2026-07-04T14:38:10.000Z"}}""",
            "this is not json",
            JetstreamFakeServer.Post(23, "More #DotNet and #csharp", ["DotNet", "csharp"]),
            JetstreamFakeServer.Post(24, "dotnet without a tag", []),
            JetstreamFakeServer.Post(25, "Too late #dotnet", ["dotnet"]),
        ];
        var fake = new JetstreamFakeServer(log);
        fake.Then(async (context, socket) =>
        {
            foreach (var item in log)
            {
                await JetstreamFakeServer.SendTextAsync(socket, item, context.RequestAborted);
            }

            await JetstreamFakeServer.StayOpenAsync(context, socket);
        });
        await using var server = await FakeServer.StartAsync(fake.HandleAsync);
        await using var feed = CliProcess.Start(
            "feed", "--source", "bluesky", "--jetstream-url", new Uri(server.WebSocketUri, "subscribe").ToString(),
            "--port", "0", "--limit", "3", "dotnet");
        var port = await feed.FeedPortAsync();

        // The feed connects to Jetstream only once a client is there, as the original did.
        Assert.Empty(fake.Queries);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(client.GetStream(), Encoding.UTF8);
        var received = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);

        Assert.Equal("dotnet\ndotnet csharp\n\n", received);
        Assert.Equal(0, await feed.WaitForExitAsync());
        Assert.Contains("[bluesky] Warning: skipped a message that is not a Jetstream event", feed.Stdout, StringComparison.Ordinal);
        Assert.Single(fake.Queries);
    }
}
