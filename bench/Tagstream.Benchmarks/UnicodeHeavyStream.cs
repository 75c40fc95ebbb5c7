using System.Text;

namespace Tagstream.Benchmarks;

/// <summary>
/// A seeded stream of protocol lines that stresses the tokenizer's non-ASCII path: about three tokens in four have
/// accented Latin, CJK, Hangul, emoji or punctuation whose UTF-8 lead byte is one that Unicode whitespace also uses
/// (U+00A9, U+2026, U+2019, U+3001), and about one separator in twelve is Unicode whitespace (U+00A0, U+2009, U+3000).
/// </summary>
internal sealed class UnicodeHeavyStream
{
    private static readonly string[] Letters =
        ["é", "ü", "ñ", "ç", "ø", "東", "京", "語", "音", "楽", "한", "국", "어", "🔥", "🎉", "👍🏽", "©", "…", "’", "、", "Ω", "ж"];

    private static readonly string[] Separators = ["\u00A0", "\u2009", "\u3000"];

    private readonly Random _random;
    private readonly byte[][] _tags;

    public UnicodeHeavyStream(int vocabulary, int seed)
    {
        _random = new Random(seed);
        _tags = new byte[vocabulary][];
        for (var i = 0; i < vocabulary; i++)
        {
            var length = _random.Next(3, 16);
            var nonAscii = _random.Next(4) != 0;
            var builder = new StringBuilder(length * 2);
            for (var c = 0; c < length; c++)
            {
                builder.Append(nonAscii && _random.Next(3) == 0 ? Letters[_random.Next(Letters.Length)] : (char)('a' + _random.Next(26)));
            }

            _tags[i] = Encoding.UTF8.GetBytes(builder.ToString());
        }
    }

    /// <summary>Lines of about <paramref name="bytes"/> bytes in total, each ended by <c>\n</c>.</summary>
    public byte[] Generate(long bytes)
    {
        var output = new MemoryStream((int)bytes + 1024);
        while (output.Length < bytes)
        {
            var count = _random.Next(1, 6);
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    output.Write(_random.Next(12) == 0 ? Encoding.UTF8.GetBytes(Separators[_random.Next(Separators.Length)]) : " "u8);
                }

                // Squaring a uniform draw skews the choice: some tags repeat a lot, as on a live stream.
                var pick = _random.NextDouble();
                output.Write(_tags[(int)(pick * pick * _tags.Length)]);
            }

            output.WriteByte((byte)'\n');
        }

        return output.ToArray();
    }
}
