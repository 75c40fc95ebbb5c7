using System.Text;
using Tagstream.Sources;
using Tagstream.Sources.Parsing;

namespace Tagstream.Tests.Sources.Parsing;

public sealed class PostRecordReaderTests
{
    [Fact]
    public async Task ReadAsync_LineOverTheLimit_MalformedAndTheNextLinesKept()
    {
        var text = "#a\n" + new string('x', 5000) + " #b\n#c\r\n#d";
        await using var reader = new PostRecordReader(new TrickleStream(Encoding.UTF8.GetBytes(text), 700), PostFormat.Text, maxRecordBytes: 1024);
        var records = new List<PostRecord>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken) is { } record)
        {
            records.Add(record);
        }

        Assert.Equal(
            ["Post a", "Malformed record longer than 1024 bytes", "Post c", "Post d"],
            records.Select(r => r.Outcome.Kind + " " + (r.Outcome.Problem ?? string.Join(' ', r.Outcome.Post!.Hashtags))));
        Assert.Equal([3L, 3 + 5004, 3 + 5004 + 4, 3 + 5004 + 4 + 2], records.Select(r => r.EndOffset));
        Assert.Equal([1L, 2, 3, 4], records.Select(r => r.Line));
    }

    [Fact]
    public async Task ReadAsync_TinyReads_SameRecordsAsOneBuffer()
    {
        foreach (var fixture in new[] { "x_v2_filtered_stream.ndjson", "mastodon_sse_hashtag.txt", "jetstream_v1_subscribe.jsonl" })
        {
            var bytes = File.ReadAllBytes(TestDataFiles.Fixture(fixture));
            var whole = (await RecordReading.ReadAllAsync(bytes)).Records;
            await using var reader = new PostRecordReader(new TrickleStream(bytes, 3));
            var trickled = new List<PostRecord>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken) is { } record)
            {
                trickled.Add(record);
            }

            Assert.Equal(Describe(whole), Describe(trickled));
        }
    }

    [Fact]
    public async Task ReadAsync_StartOffset_ResumesAtTheNextRecordWithAbsoluteOffsets()
    {
        var bytes = File.ReadAllBytes(TestDataFiles.Fixture("mastodon_sse_hashtag.txt"));
        var all = (await RecordReading.ReadAllAsync(bytes)).Records;
        var afterUpdate = all[1].EndOffset;

        await using var reader = new PostRecordReader(new MemoryStream(bytes, (int)afterUpdate, bytes.Length - (int)afterUpdate),
            PostFormat.MastodonSse, afterUpdate);
        var rest = new List<PostRecord>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken) is { } record)
        {
            rest.Add(record);
        }

        Assert.Equal(all.Skip(2).Select(r => (r.Outcome.SkipReason, r.EndOffset)), rest.Select(r => (r.Outcome.SkipReason, r.EndOffset)));
    }

    [Fact]
    public async Task ReadAsync_SseWithoutFinalBlankLine_LastEventRead()
    {
        var (_, records) = await RecordReading.ReadTextAsync("event: update\ndata: {\"id\":\"1\",\"tags\":[{\"name\":\"A\"}]}");

        Assert.Equal(["a"], Assert.Single(records).Outcome.Post!.Hashtags);
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMark_NotPartOfTheFirstRecord()
    {
        var (format, records) = await RecordReading.ReadTextAsync("\uFEFF{\"data\":{\"id\":\"1\",\"text\":\"#a\"}}\n");

        Assert.Equal(PostFormat.XApiV2, format);
        Assert.Equal(["a"], Assert.Single(records).Outcome.Post!.Hashtags);
    }

    [Theory]
    [InlineData("", PostFormat.Protocol)]
    [InlineData("\n\n", PostFormat.Protocol)]
    [InlineData("dotnet csharp\n\nrust\n", PostFormat.Protocol)]
    [InlineData("café 漢字 \U0001D400x\n", PostFormat.Protocol)]
    [InlineData("Dotnet csharp\n", PostFormat.Text)]
    [InlineData("dotnet #csharp\n", PostFormat.Text)]
    [InlineData("\"Shipping #dotnet\"\n", PostFormat.JsonlText)]
    [InlineData("\uFEFF{\"data\":{\"id\":\"1\"}}\n", PostFormat.XApiV2)]
    [InlineData("\r\n{\"errors\":[{\"title\":\"x\"}]}\r\n", PostFormat.XApiV2)]
    [InlineData("{\"unknown\":1}\n{\"delete\":{}}\n", PostFormat.TwitterV11)]
    [InlineData("{broken\n{\"did\":\"d\",\"kind\":\"account\"}\n", PostFormat.Jetstream)]
    [InlineData("{\"unknown\":1}\n", PostFormat.Text)]
    [InlineData("data: 1\n\n", PostFormat.MastodonSse)]
    [InlineData("{\"stream\":[\"public\"],\"event\":\"delete\",\"payload\":\"1\"}\n", PostFormat.MastodonWebSocket)]
    public void Detect_FirstLines_Format(string head, PostFormat expected) =>
        Assert.Equal(expected, PostFormatDetector.Detect(Encoding.UTF8.GetBytes(head), isWholeStream: true));

    private static List<string> Describe(List<PostRecord> records) =>
        records.ConvertAll(r => $"{r.Outcome.Kind} {r.Outcome.SkipReason} {r.Outcome.Error?.Title} {string.Join(' ', r.Outcome.Post?.Hashtags ?? [])} {r.EndOffset} {r.Line}");
}
