using Tagstream.Sources;
using Tagstream.Sources.Parsing;

namespace Tagstream.Tests.Sources.Parsing;

/// <summary>Random posts rendered in each wire format, read back through detection, against the generator's truth.</summary>
public sealed class GeneratedPostParsingTests
{
    private const int Seeds = 60;
    private const int PostsPerSeed = 25;

    public static TheoryData<PostFormat> Formats() =>
    [
        PostFormat.Protocol, PostFormat.Text, PostFormat.JsonlText, PostFormat.XApiV2, PostFormat.TwitterV11,
        PostFormat.Jetstream, PostFormat.MastodonSse, PostFormat.MastodonWebSocket,
    ];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ReadAsync_GeneratedPosts_HashtagsMatchTruth(PostFormat format)
    {
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var generator = new PostGenerator(seed);
            var posts = Enumerable.Range(0, PostsPerSeed)
                .Select(i => generator.Next(i, allowNewlines: format == PostFormat.JsonlText))
                .ToList();
            var bytes = WireFormatRenderer.Render(format, posts, generator);

            foreach (var requested in new[] { PostFormat.Auto, format })
            {
                var (read, records) = await RecordReading.ReadAllAsync(bytes, requested);

                Assert.True(format == read, $"seed {seed}: detected {read}, rendered {format}");
                Assert.DoesNotContain(records, r => r.Outcome.Kind is ParseOutcomeKind.Malformed or ParseOutcomeKind.StreamError);
                var parsed = records.Where(r => r.Outcome.Kind == ParseOutcomeKind.Post).Select(r => r.Outcome.Post!).ToList();
                Assert.True(posts.Count == parsed.Count, $"seed {seed}: {parsed.Count} posts read, {posts.Count} written");
                for (var i = 0; i < posts.Count; i++)
                {
                    Assert.True(
                        posts[i].Truth.SequenceEqual(parsed[i].Hashtags),
                        $"seed {seed}, post {i} ({format}): expected [{string.Join(' ', posts[i].Truth)}] got [{string.Join(' ', parsed[i].Hashtags)}] from {posts[i].Text}");
                }
            }
        }
    }
}
