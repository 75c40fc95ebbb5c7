using System.Text;
using System.Text.Json;
using Tagstream.Sources.Parsing;
using Tagstream.Tests.Sources.Parsing;

namespace Tagstream.Tests.Cli;

/// <summary>
/// Generated recordings of real wire formats through the real programs: <c>feed --source replay</c> into
/// <c>count</c> over a socket, and <c>extract | count --source stdin</c>; the final totals must equal the truth.
/// </summary>
public sealed class RecordingEndToEndTests : IDisposable
{
    private const int Posts = 400;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tagstream-recording-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData(PostFormat.Jetstream, 11)]
    [InlineData(PostFormat.MastodonSse, 12)]
    [InlineData(PostFormat.XApiV2, 13)]
    public async Task FeedReplayIntoCount_GeneratedRecording_ExactTotals(PostFormat format, int seed)
    {
        var (path, truth) = Record(format, seed);

        await using var feed = CliProcess.Start("feed", "--source", "replay", "--file", path, "--port", "0", "--quiet");
        var port = await feed.FeedPortAsync();
        await using var count = CliProcess.Start("count", "--connect", $"127.0.0.1:{port}", "--until-eof", "--output", "jsonl", "--interval", "200ms", "--top", "5000");

        Assert.Equal(0, await count.WaitForExitAsync());
        Assert.Equal(0, await feed.WaitForExitAsync());
        AssertTotals(truth, count.Stdout);
    }

    [Theory]
    [InlineData(PostFormat.MastodonWebSocket, 21)]
    [InlineData(PostFormat.TwitterV11, 22)]
    [InlineData(PostFormat.JsonlText, 23)]
    public async Task ExtractPipedIntoCount_GeneratedRecording_ExactTotals(PostFormat format, int seed)
    {
        var (path, truth) = Record(format, seed);

        await using var extract = CliProcess.Start("extract");
        await extract.Stdin.BaseStream.WriteAsync(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        extract.Stdin.Close();
        Assert.Equal(0, await extract.WaitForExitAsync());
        Assert.Empty(extract.Stderr);

        await using var count = CliProcess.Start("count", "--source", "stdin", "--output", "jsonl", "--top", "5000");
        await count.Stdin.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(extract.Stdout), TestContext.Current.CancellationToken);
        count.Stdin.Close();
        Assert.Equal(0, await count.WaitForExitAsync());
        AssertTotals(truth, count.Stdout);
    }

    private (string Path, List<GeneratedPost> Posts) Record(PostFormat format, int seed)
    {
        var generator = new PostGenerator(seed);
        var posts = Enumerable.Range(0, Posts).Select(i => generator.Next(i, allowNewlines: format == PostFormat.JsonlText)).ToList();
        var path = Path.Combine(_directory.FullName, $"recording-{seed}.txt");
        File.WriteAllBytes(path, WireFormatRenderer.Render(format, posts, generator));
        return (path, posts);
    }

    private static void AssertTotals(List<GeneratedPost> posts, string countStdout)
    {
        var last = JsonDocument.Parse(countStdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        var expected = posts.SelectMany(p => p.Truth).GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var actual = last.GetProperty("top").EnumerateArray()
            .ToDictionary(e => e.GetProperty("hashtag").GetString()!, e => e.GetProperty("total").GetInt64(), StringComparer.Ordinal);

        Assert.Equal(posts.Count, last.GetProperty("total_posts").GetInt64());
        Assert.Equal(expected.Values.Sum(), last.GetProperty("total_tags").GetInt64());
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
