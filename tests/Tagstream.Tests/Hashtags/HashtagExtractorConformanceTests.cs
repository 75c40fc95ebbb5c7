using System.Text;
using Tagstream.Hashtags;

namespace Tagstream.Tests.Hashtags;

public sealed class HashtagExtractorConformanceTests
{
    /// <summary>One row per YAML case, identified by section and index so xunit lists each case as its own test.</summary>
    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        var all = ConformanceCases.All;
        for (var i = 0; i < all.Count; i++)
        {
            data.Add(all[i].Section, i, all[i].Description);
        }

        return data;
    }

    [Fact]
    public void Cases_AllLoaded() => Assert.Equal(52, ConformanceCases.All.Count);

    [Theory]
    [MemberData(nameof(Cases))]
#pragma warning disable xUnit1026 // section and description name the case in the test list.
    public void Extract_MatchesConformanceCase(string section, int index, string description)
#pragma warning restore xUnit1026
    {
        var testCase = ConformanceCases.All[index];

        Assert.Equal(testCase.ExpectedTags, HashtagExtractor.Extract(testCase.Text));
        if (testCase.ExpectedIndices is { } expectedIndices)
        {
            Assert.Equal(expectedIndices, CodePointSpans(testCase.Text));
        }
    }

    /// <summary>twitter-text indices count code points, not UTF-16 code units.</summary>
    private static List<(int Start, int End)> CodePointSpans(string text)
    {
        var found = new List<HashtagSpan>();
        HashtagExtractor.FindSpans(text, found);
        return found.ConvertAll(span =>
        {
            var start = CodePoints(text.AsSpan(0, span.Start));
            return (start, start + CodePoints(text.AsSpan(span.Start, span.Length)));
        });
    }

    private static int CodePoints(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
