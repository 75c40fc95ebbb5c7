using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tagstream.Sources;
using Tagstream.Sources.Synthetic;
using Xunit;

namespace Tagstream.Tests.Sources;

public sealed class SyntheticSourceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_SameOptions_SameBytes()
    {
        var options = new SyntheticOptions { Seed = 7, Vocabulary = 5000, Terms = ["Football"] };
        Assert.Equal(await ReadPostsAsync(new SyntheticSource(options), 20_000), await ReadPostsAsync(new SyntheticSource(options), 20_000));
        Assert.NotEqual(await ReadPostsAsync(new SyntheticSource(options), 2_000), await ReadPostsAsync(new SyntheticSource(options with { Seed = 8 }), 2_000));
    }

    [Fact]
    public async Task ReadAsync_ResumedAtAPosition_ContinuesTheSameStream()
    {
        var options = new SyntheticOptions { Seed = 3, Vocabulary = 1000 };
        var whole = await ReadPostsAsync(new SyntheticSource(options), 30_000);
        var first = new SyntheticSource(options);
        PostChunk chunk = await first.ReadAsync(Token);
        SourcePosition position = chunk.Position!.Value;
        string head = Encoding.UTF8.GetString(chunk.Lines.Span);

        string tail = string.Join("", await ReadPostsAsync(new SyntheticSource(options, resumeAt: position), 30_000 - (int)position.Offset));

        Assert.Equal(string.Join("", whole), head + tail);
    }

    [Fact]
    public async Task ReadAsync_Posts_HaveOneToFiveTagsOfThreeToTwentyCharactersAndTheTerms()
    {
        var options = new SyntheticOptions { Vocabulary = 50_000, Terms = ["#Football", "dotnet"] };
        var lines = await ReadPostsAsync(new SyntheticSource(options), 50_000);
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            string[] words = line.TrimEnd('\n').Split(' ');
            Assert.InRange(words.Length, 1, 5);
            foreach (string word in words)
            {
                Assert.InRange(new StringInfoLength(word).Value, 3, 20);
                tags.Add(word);
            }
        }

        Assert.Contains("football", tags);
        Assert.Contains("dotnet", tags);
        Assert.Contains(tags, t => t.Any(c => c > 127));
    }

    [Fact]
    public void ZipfSampler_Frequencies_MatchTheExactDistribution()
    {
        const int N = 50;
        const double S = 1.1;
        const int Draws = 400_000;
        var sampler = new ZipfSampler(N, S);
        var random = new SplitMix64(12345);
        long[] seen = new long[N + 1];
        for (int i = 0; i < Draws; i++)
        {
            seen[sampler.Sample(ref random)]++;
        }

        double norm = Enumerable.Range(1, N).Sum(k => Math.Pow(k, -S));
        double chiSquare = 0;
        for (int k = 1; k <= N; k++)
        {
            double expected = Draws * Math.Pow(k, -S) / norm;
            chiSquare += (seen[k] - expected) * (seen[k] - expected) / expected;
        }

        // 49 degrees of freedom: the 99.9th percentile of chi-square is about 85.
        Assert.True(chiSquare < 85, $"chi-square {chiSquare:F1} says the ranks do not follow Zipf({S}).");
    }

    [Fact]
    public async Task ReadAsync_WithRate_PacesPostsByTheClock()
    {
        var clock = new FakeTimeProvider();
        var source = new SyntheticSource(new SyntheticOptions { Vocabulary = 100, Rate = 10 }, clock);

        ValueTask<PostChunk> read = source.ReadAsync(Token);
        Assert.False(read.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        PostChunk chunk = await read;

        Assert.Equal(10, chunk.Lines.Span.Count((byte)'\n'));
        Assert.Equal(10, chunk.Posts!.Count);
    }

    [Fact]
    public void Validate_BadOptions_SayWhatIsWrong()
    {
        Assert.Contains("SyntheticOptions.Zipf", new SyntheticOptions { Zipf = 0 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("SyntheticOptions.Vocabulary", new SyntheticOptions { Vocabulary = 0 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("SyntheticOptions.Rate", new SyntheticOptions { Rate = -1 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("one word", new SyntheticOptions { Terms = ["two words"] }.Validate(), StringComparison.Ordinal);
        Assert.Null(new SyntheticOptions().Validate());
    }

    private static async Task<List<string>> ReadPostsAsync(SyntheticSource source, int posts)
    {
        var lines = new List<string>();
        while (lines.Count < posts)
        {
            PostChunk chunk = await source.ReadAsync(Token);
            foreach (string line in Encoding.UTF8.GetString(chunk.Lines.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (lines.Count < posts)
                {
                    lines.Add(line + "\n");
                }
            }
        }

        return lines;
    }

    private readonly record struct StringInfoLength(string Text)
    {
        public int Value => new System.Globalization.StringInfo(Text).LengthInTextElements;
    }
}
