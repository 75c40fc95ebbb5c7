using Tagstream.Sources;
using Tagstream.Tests.Sources.Live;
using Tagstream.Tests.Sources.Live.Bluesky;
using Tagstream.Tests.Sources.Live.X;

namespace Tagstream.Tests.Cli;

public sealed class RecordCommandTests
{
    private static readonly Dictionary<string, string?> NoTokens = new() { ["X_BEARER_TOKEN"] = null, ["MASTODON_TOKEN"] = null };

    [Fact]
    public async Task Record_Bluesky_WritesTheMatchingEventsAsJsonlAndStopsAtTheLimit()
    {
        string[] log =
        [
            JetstreamFakeServer.Post(10, "Hello #dotnet", ["dotnet"]),
            JetstreamFakeServer.Post(11, "Hello #rust", ["rust"]),
            JetstreamFakeServer.Post(12, "More #DotNet and #csharp", ["DotNet", "csharp"]),
            JetstreamFakeServer.Post(13, "Even more #dotnet", ["dotnet"]),
        ];
        var fake = new JetstreamFakeServer(log);
        fake.ThenReplay(10, JetstreamFakeServer.StayOpenAsync);
        await using var server = await FakeServer.StartAsync(fake.HandleAsync);
        var file = Path.Combine(Path.GetTempPath(), $"tagstream-record-{Guid.NewGuid():N}.jsonl");
        try
        {
            var (exit, output, error) = await RunAsync(NoTokens,
                "record", "--source", "bluesky", "--jetstream-url", new Uri(server.WebSocketUri, "subscribe").ToString(),
                "--file", file, "--limit", "2", "dotnet");

            Assert.Equal(0, exit);
            Assert.Equal("", error);
            Assert.Contains("Recorded 2 posts", output, StringComparison.Ordinal);
            Assert.Equal([log[0], log[2]], await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Record_XWithoutToken_SaysWhichVariableToSetAndFails()
    {
        var (exit, _, error) = await RunAsync(NoTokens,
            "record", "--source", "x", "--file", Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}"), "football");

        Assert.Equal(2, exit);
        Assert.Equal(1, error.Count(c => c == '\n'));
        Assert.Contains("Set X_BEARER_TOKEN", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_XWithRejectedToken_PrintsOneLineWithoutTheTokenAndExitsNonZero()
    {
        var api = new XFakeApi { RulesStatus = 401 };
        await using var server = await FakeServer.StartAsync(api.HandleAsync);
        var file = Path.Combine(Path.GetTempPath(), $"tagstream-record-{Guid.NewGuid():N}.ndjson");
        var environment = new Dictionary<string, string?>(NoTokens) { ["X_BEARER_TOKEN"] = LiveTestContext.Token };

        var (exit, output, error) = await RunAsync(environment,
            "record", "--source", "x", "--x-api-url", server.BaseUri.ToString(), "--file", file, "football");
        File.Delete(file);

        Assert.Equal(1, exit);
        Assert.Equal(1, error.Count(c => c == '\n'));
        Assert.StartsWith("tagstream record: x: X rejected the bearer token in X_BEARER_TOKEN", error, StringComparison.Ordinal);
        Assert.DoesNotContain(LiveTestContext.Token, output + error, StringComparison.Ordinal);
        Assert.Equal(["Bearer " + LiveTestContext.Token], api.Authorizations);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        await using var process = CliProcess.StartWith(environment, args);
        var exit = await process.WaitForExitAsync();
        return (exit, process.Stdout, process.Stderr);
    }
}
