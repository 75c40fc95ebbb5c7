using Tagstream.Counting;

namespace Tagstream.Tests.Counting;

/// <summary>
/// The tokenizer against <see cref="TokenizerReference"/> on adversarial bytes: invalid UTF-8 of every kind, NUL,
/// every Unicode whitespace code point and its look-alikes, at every alignment to the 64-byte blocks, in one slice or
/// cut into many as the engine cuts rounds, and with the slice ending exactly at a block boundary.
/// </summary>
public sealed unsafe class TokenizerPropertyTests
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, 300)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Tokenize_AdversarialBytes_EqualsReference(int seed)
    {
        var random = new AdversarialBytes(seed);
        var bytes = random.Generate(random.Next(1, 4000), invalidShare: seed % 4 * 0.1);

        AssertEqualsReference(bytes, bytes.Length, [0, bytes.Length]);

        // Many slices cut at whitespace, as the engine cuts rounds and workers' slices.
        var cuts = new List<int> { 0 };
        fixed (byte* p = bytes)
        {
            while (cuts[^1] < bytes.Length)
            {
                cuts.Add(Tokenizer.NextCut(p, Math.Min(cuts[^1] + random.Next(1, 300), bytes.Length), bytes.Length));
            }
        }

        AssertEqualsReference(bytes, bytes.Length, cuts);

        // A slice of whole blocks that ends where the chunk ends: a sequence cut short there has no block after it.
        var start = cuts[random.Next(cuts.Count)];
        var blocks = (bytes.Length - start) / 64;
        if (blocks > 0)
        {
            var end = start + (64 * random.Next(1, blocks + 1));
            AssertEqualsReference(bytes, end, [start, end]);
        }
    }

    [Fact]
    public void Tokenize_EveryAtomAtEveryAlignment_EqualsReference()
    {
        foreach (var atom in AdversarialBytes.Valid.Concat(AdversarialBytes.Invalid))
        {
            for (var offset = 0; offset < 130; offset++)
            {
                var lead = Enumerable.Repeat((byte)'x', offset).ToArray();
                byte[][] inputs =
                [
                    [.. lead, .. atom],
                    [.. lead, .. atom, .. atom],
                    [.. lead, .. atom, (byte)' ', (byte)'b'],
                    [.. lead, .. atom, (byte)' ', 0x80, 0x80, (byte)'c'],
                    [.. lead, (byte)' ', .. atom, (byte)'\n', .. atom, (byte)'d'],
                ];
                foreach (var input in inputs)
                {
                    AssertEqualsReference(input, input.Length, [0, input.Length]);
                    if (input.Length > offset + 1)
                    {
                        // The same bytes with the piece starting right at the slice's start.
                        var slice = input[offset..];
                        AssertEqualsReference(slice, slice.Length, [0, slice.Length]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("61 00 62", "", 1)]
    [InlineData("C3 A9 E3 80 80 78", "C3A9 78", 0)]
    [InlineData("E3 80 80", "", 0)]
    [InlineData("C2 A0 C2 A9 C2 85", "C2A9", 0)]
    [InlineData("E2 80 A6 E2 80 AF 61 E2 80 8B", "E280A6 61E2808B", 0)]
    [InlineData("E1 9A 80 E1 9A 81", "E19A81", 0)]
    [InlineData("E3 80 81 E3 80 80 E2 81 9F E2 81 9E", "E38081 E2819E", 0)]
    [InlineData("E2 20 80 80 41", "", 2)]
    [InlineData("E2 80 20 41", "41", 1)]
    [InlineData("F0 9F 98", "", 1)]
    [InlineData("E0 80 80 20 61", "61", 1)]
    [InlineData("E0 A0 80 20 E0 9F BF", "E0A080", 1)]
    [InlineData("ED 9F BF 20 ED A0 80", "ED9FBF", 1)]
    [InlineData("F0 90 80 80 20 F0 8F BF BF", "F0908080", 1)]
    [InlineData("F4 8F BF BF 20 F4 90 80 80", "F48FBFBF", 1)]
    [InlineData("C1 BF 20 F5 80 80 80 20 FF", "", 3)]
    public void Tokenize_Case_GivesTokens(string input, string expected, int malformed)
    {
        var bytes = Convert.FromHexString(input.Replace(" ", "", StringComparison.Ordinal));
        var tokens = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var reference = TokenizerReference.Tokenize(bytes);
        Assert.Equal(tokens, reference.Tokens.Select(Convert.ToHexString));
        Assert.Equal(malformed, reference.Malformed);
        AssertEqualsReference(bytes, bytes.Length, [0, bytes.Length]);
    }

    /// <summary>Tokenizes <c>bytes[cuts[0]..cuts[^1])</c> as consecutive slices of a chunk of <paramref name="chunkLength"/> bytes.</summary>
    private static void AssertEqualsReference(byte[] bytes, int chunkLength, List<int> cuts)
    {
        var worker = new WorkerState(1, degenerateHash: false);
        worker.Reserve(chunkLength);
        fixed (byte* p = bytes)
        {
            for (var i = 1; i < cuts.Count; i++)
            {
                Tokenizer.Tokenize(p, chunkLength, cuts[i - 1], cuts[i], worker);
            }
        }

        var range = bytes.AsSpan(cuts[0], cuts[^1] - cuts[0]);
        var (tokens, malformed) = TokenizerReference.Tokenize(range);
        var actual = worker.ByShard[0].Items.ToArray().Select(token => Convert.ToHexString(bytes, token.Offset, token.Length));
        Assert.Equal(tokens.Select(Convert.ToHexString), actual);
        Assert.Equal(tokens.Count, worker.Tags);
        Assert.Equal(malformed, worker.Malformed);
        Assert.Equal(range.Count((byte)'\n'), worker.Newlines);
    }
}
