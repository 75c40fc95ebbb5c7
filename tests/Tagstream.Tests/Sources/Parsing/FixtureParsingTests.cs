using Tagstream.Sources;
using Tagstream.Sources.Parsing;

namespace Tagstream.Tests.Sources.Parsing;

/// <summary>Every shared wire-format fixture, read through format detection, with its exact outcomes.</summary>
public sealed class FixtureParsingTests
{
    [Fact]
    public async Task XApiV2_Fixture_PostKeepAliveAndOperationalDisconnect()
    {
        var (format, records) = await RecordReading.ReadFixtureAsync("x_v2_filtered_stream.ndjson");

        Assert.Equal(PostFormat.XApiV2, format);
        Assert.Equal(3, records.Count);
        var post = Assert.IsType<Tagstream.Sources.Post>(records[0].Outcome.Post);
        Assert.Equal(["dotnet", "csharp"], post.Hashtags);
        Assert.Equal("1790000000000000001", post.Id);
        Assert.Equal("x", post.Source);
        Assert.Equal("en", post.Language);
        Assert.Equal("\U0001F680 Shipping #dotnet today #CSharp & more", records[0].Outcome.Text);
        Assert.Equal(SkipReason.KeepAlive, records[1].Outcome.SkipReason);
        Assert.Equal(ParseOutcomeKind.StreamError, records[2].Outcome.Kind);
        var error = records[2].Outcome.Error!;
        Assert.Equal("operational-disconnect", error.Title);
        Assert.Equal("UpstreamOperationalDisconnect", error.Code);
        Assert.Equal("https://api.x.com/2/problems/operational-disconnect", error.Type);
        Assert.Equal(new FileInfo(TestDataFiles.Fixture("x_v2_filtered_stream.ndjson")).Length, records[^1].EndOffset);
    }

    [Fact]
    public async Task TwitterV11_Fixture_PostAndDeleteNotice()
    {
        var (format, records) = await RecordReading.ReadFixtureAsync("twitter_v11_statuses.jsonl");

        Assert.Equal(PostFormat.TwitterV11, format);
        Assert.Equal(2, records.Count);
        var post = records[0].Outcome.Post!;
        Assert.Equal(["nodejs", "dotnet"], post.Hashtags);
        Assert.Equal("994633657141813249", post.Id);
        Assert.Equal("FloodSocial", post.Author);
        Assert.Equal(new DateTimeOffset(2018, 5, 10, 17, 41, 57, TimeSpan.Zero), post.CreatedAt);
        Assert.Equal(SkipReason.Delete, records[1].Outcome.SkipReason);
    }

    [Fact]
    public async Task Jetstream_Fixture_PostDeleteAndAccountEvent()
    {
        var (format, records) = await RecordReading.ReadFixtureAsync("jetstream_v1_subscribe.jsonl");

        Assert.Equal(PostFormat.Jetstream, format);
        Assert.Equal(3, records.Count);
        var post = records[0].Outcome.Post!;
        Assert.Equal(["dotnet", "csharp"], post.Hashtags);
        Assert.Equal("did:plc:abcdefghijklmnopqrstuvwx", post.Author);
        Assert.Equal("at://did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3mptbypfywk2v", post.Id);
        Assert.Equal("en", post.Language);
        Assert.Equal(1783175888172335, records[0].Outcome.Cursor);
        Assert.Equal("\U0001F680 Shipping #dotnet today #CSharp", records[0].Outcome.Text);
        Assert.Equal(SkipReason.Delete, records[1].Outcome.SkipReason);
        Assert.Equal(1783175889000000, records[1].Outcome.Cursor);
        Assert.Equal(SkipReason.AccountEvent, records[2].Outcome.SkipReason);
        Assert.Equal(1783175890000000, records[2].Outcome.Cursor);
    }

    [Fact]
    public async Task MastodonSse_Fixture_CommentUpdateHeartbeatAndDelete()
    {
        var (format, records) = await RecordReading.ReadFixtureAsync("mastodon_sse_hashtag.txt");

        Assert.Equal(PostFormat.MastodonSse, format);
        Assert.Equal(
            [ParseOutcomeKind.Skip, ParseOutcomeKind.Post, ParseOutcomeKind.Skip, ParseOutcomeKind.Skip],
            records.Select(r => r.Outcome.Kind));
        Assert.Equal(SkipReason.Heartbeat, records[0].Outcome.SkipReason);
        var post = records[1].Outcome.Post!;
        Assert.Equal(["dotnet", "csharp"], post.Hashtags);
        Assert.Equal("113000000000000001", post.Id);
        Assert.Equal("alice", post.Author);
        Assert.Equal(new DateTimeOffset(2026, 7, 4, 14, 38, 7, TimeSpan.Zero), post.CreatedAt);
        Assert.Equal("Shipping #dotnet #CSharp", records[1].Outcome.Text);
        Assert.Equal(SkipReason.Heartbeat, records[2].Outcome.SkipReason);
        Assert.Equal(SkipReason.Delete, records[3].Outcome.SkipReason);
    }

    [Fact]
    public async Task MastodonWebSocket_Fixture_UpdateAndDelete()
    {
        var (format, records) = await RecordReading.ReadFixtureAsync("mastodon_ws_hashtag.jsonl");

        Assert.Equal(PostFormat.MastodonWebSocket, format);
        Assert.Equal(2, records.Count);
        var post = records[0].Outcome.Post!;
        Assert.Equal(["dotnet", "csharp"], post.Hashtags);
        Assert.Equal("alice", post.Author);
        Assert.Equal(SkipReason.Delete, records[1].Outcome.SkipReason);
    }

    [Theory]
    [InlineData("x_v2_filtered_stream.ndjson", PostFormat.XApiV2)]
    [InlineData("twitter_v11_statuses.jsonl", PostFormat.TwitterV11)]
    [InlineData("jetstream_v1_subscribe.jsonl", PostFormat.Jetstream)]
    [InlineData("mastodon_sse_hashtag.txt", PostFormat.MastodonSse)]
    [InlineData("mastodon_ws_hashtag.jsonl", PostFormat.MastodonWebSocket)]
    public async Task ReadAsync_ExplicitFormat_SameOutcomesAsDetected(string fixture, PostFormat format)
    {
        var detected = await RecordReading.ReadFixtureAsync(fixture);
        var explicitFormat = await RecordReading.ReadFixtureAsync(fixture, format);

        Assert.Equal(format, explicitFormat.Format);
        Assert.Equal(Describe(detected.Records), Describe(explicitFormat.Records));
    }

    private static List<string> Describe(List<PostRecord> records) =>
        records.ConvertAll(r => $"{r.Outcome.Kind} {r.Outcome.SkipReason} {string.Join(' ', r.Outcome.Post?.Hashtags ?? [])} {r.EndOffset}");
}
