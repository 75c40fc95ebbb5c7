using Microsoft.AspNetCore.Http;
using Tagstream.Sources.Live.Transport;
using Tagstream.Sources.Live.X;

namespace Tagstream.Tests.Sources.Live.X;

public sealed class XRuleSyncTests
{
    private const string Wanted = "(dotnet OR csharp) has:hashtags -is:retweet";

    [Fact]
    public async Task SyncAsync_NoRules_AddsOursTagged()
    {
        var api = new XFakeApi();

        await SyncAsync(api, new LiveTestContext());

        Assert.Equal([(Wanted, "tagstream")], api.Rules.Select(r => (r.Value, r.Tag)));
    }

    [Fact]
    public async Task SyncAsync_StaleOursAndForeign_DeletesOnlyOurStaleRuleAndKeepsForeign()
    {
        var api = new XFakeApi();
        api.AddRule("1", "(football) has:hashtags -is:retweet", "tagstream");
        api.AddRule("2", "cats has:images", "someone-else");
        api.AddRule("3", "dogs", null);
        var test = new LiveTestContext();

        await SyncAsync(api, test);

        Assert.Equal(["2", "3"], api.Rules.Where(r => r.Tag != "tagstream").Select(r => r.Id));
        Assert.Equal([Wanted], api.Rules.Where(r => r.Tag == "tagstream").Select(r => r.Value));
        Assert.Contains(api.RuleRequests, r => r == """POST {"delete":{"ids":["1"]}}""");
        // The foreign rules feed the stream too: the user is told once, and how to remove them.
        Assert.Single(test.Lines, l => l.Contains("2 other stream rule(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_OurRuleAlreadyInPlace_ChangesNothing()
    {
        var api = new XFakeApi();
        api.AddRule("7", Wanted, "tagstream");

        await SyncAsync(api, new LiveTestContext());

        Assert.Equal(["GET"], api.RuleRequests);
        Assert.Equal(["7"], api.Rules.Select(r => r.Id));
    }

    [Fact]
    public async Task SyncAsync_RemoveOtherRules_DeletesForeignRulesToo()
    {
        var api = new XFakeApi();
        api.AddRule("2", "cats has:images", "someone-else");
        api.AddRule("7", Wanted, "tagstream");

        await SyncAsync(api, new LiveTestContext(), removeOthers: true);

        Assert.Equal(["7"], api.Rules.Select(r => r.Id));
    }

    [Theory]
    [InlineData("""{"data":[{"value":"no id"}]}""")]
    [InlineData("""{"data":[{"id":7,"value":"id is a number"}]}""")]
    [InlineData("""{"data":""")]
    public async Task SyncAsync_MalformedRulesAnswer_IsARetryableFailure(string body)
    {
        await using var server = await FakeServer.StartAsync(context => context.Response.WriteAsync(body, context.RequestAborted));
        using var http = LiveHttp.CreateClient();
        var test = new LiveTestContext();

        var failure = await new XRuleSync(http, XFilteredStreamTests.Options(server.BaseUri), test.Context).SyncAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ReconnectReason.Http, failure?.Reason);
    }

    [Fact]
    public void Build_TermsAndLanguage_MakesOneOrRuleWithHashtagsAndNoRetweets()
    {
        Assert.Equal("(dotnet OR csharp) has:hashtags -is:retweet lang:en", XRule.Build(["dotnet", "csharp"], "en"));
        Assert.Equal("(football) has:hashtags -is:retweet", XRule.Build(["football"], null));
        Assert.Equal("(\"world cup\" OR #wc2026) has:hashtags -is:retweet", XRule.Build(["world cup", "#wc2026"], null));
        Assert.Throws<ArgumentException>(() => XRule.Build([], null));
    }

    private static async Task SyncAsync(XFakeApi api, LiveTestContext test, bool removeOthers = false)
    {
        await using var server = await FakeServer.StartAsync(api.HandleAsync);
        using var http = LiveHttp.CreateClient();
        var options = XFilteredStreamTests.Options(server.BaseUri) with { RemoveOtherRules = removeOthers };
        var failure = await new XRuleSync(http, options, test.Context).SyncAsync(TestContext.Current.CancellationToken);
        Assert.Null(failure);
    }
}
