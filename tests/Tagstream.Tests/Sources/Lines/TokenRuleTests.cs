using System.Text;
using Tagstream.Cli.Commands;
using Tagstream.Counting;
using Tagstream.Sources.Lines;
using Tagstream.Sources.Parsing;
using Tagstream.Tests.Counting;

namespace Tagstream.Tests.Sources.Lines;

/// <summary>
/// One rule splits a line into tokens, whichever path reads it: the rule itself, the counter's vectorized tokenizer,
/// and <c>extract --format protocol</c> all give the literal reference's tokens on adversarial bytes.
/// </summary>
public sealed class TokenRuleTests
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, 60)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task EveryPath_AdversarialBytes_GivesTheReferenceTokens(int seed)
    {
        var random = new AdversarialBytes(seed);
        var bytes = random.Generate(random.Next(1, 3000), invalidShare: seed % 4 * 0.1);
        var (referenceTokens, referenceMalformed) = TokenizerReference.Tokenize(bytes);
        var expected = Tally(referenceTokens);

        var ranges = new List<Range>();
        var malformed = TokenRule.Split(bytes, ranges);
        Assert.Equal(referenceMalformed, malformed);
        Assert.Equal(expected, Tally(ranges.Select(r => bytes[r])));

        Assert.Equal(expected, Counted(bytes));
        Assert.Equal(expected, await ExtractedAsync(bytes));
    }

    [Theory]
    [InlineData("a\u001Cb", "a|b")]
    [InlineData("a\u0085b c\u3000d", "a|b|c|d")]
    [InlineData("a\u200Bb", "a\u200Bb")]
    [InlineData("  \r\n", "")]
    public void Split_SeparatorsOfTheRule_SplitTokens(string line, string tokens)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var ranges = new List<Range>();

        Assert.Equal(0, TokenRule.Split(bytes, ranges));
        Assert.Equal(tokens, string.Join('|', ranges.Select(r => Encoding.UTF8.GetString(bytes[r]))));
    }

    private static List<string> Counted(byte[] bytes)
    {
        using var counter = new HashtagCounter(new CounterOptions { Workers = 2, TopCapacity = 10 });
        counter.Count(bytes);
        counter.CloseBatch();
        var totals = new List<string>();
        foreach (var entry in counter)
        {
            totals.Add($"{Convert.ToHexString(entry.Hashtag)} x{entry.Total}");
        }

        return [.. totals.Order(StringComparer.Ordinal)];
    }

    private static async Task<List<string>> ExtractedAsync(byte[] bytes)
    {
        var output = new MemoryStream();
        await ExtractCommand.RunAsync(new MemoryStream(bytes), output, TextWriter.Null, PostFormat.Protocol, TestContext.Current.CancellationToken);
        var lines = output.ToArray();
        var tokens = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            if (i == lines.Length || lines[i] is (byte)' ' or (byte)'\n')
            {
                if (i > start)
                {
                    tokens.Add(lines[start..i]);
                }

                start = i + 1;
            }
        }

        return Tally(tokens);
    }

    private static List<string> Tally(IEnumerable<byte[]> tokens)
    {
        return [.. tokens.CountBy(Convert.ToHexString).Select(p => $"{p.Key} x{p.Value}").Order(StringComparer.Ordinal)];
    }
}
