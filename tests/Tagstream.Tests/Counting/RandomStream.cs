using System.Text;

namespace Tagstream.Tests.Counting;

/// <summary>
/// Seeded random protocol streams with the hard cases mixed in: inline and long tags (some over 64 KiB), accents,
/// CJK, emoji and astral characters, ASCII and Unicode whitespace runs, CRLF, empty lines, invalid UTF-8 and NUL
/// tokens, and a skewed choice of tags so that some repeat a lot and totals tie.
/// </summary>
internal sealed class RandomStream(int seed)
{
    private static readonly string[] Separators =
        [" ", " ", " ", "  ", "\t", " \t ", "\v", "\f", "\r", "\x1C", "\x1F", "\u00A0", "\u3000", "\u2028", "\u0085", "\u2009", " \u205F "];

    private static readonly string[] Pieces =
        ["a", "b", "z", "0", "9", "_", "é", "ü", "ß", "日本", "語", "😀", "～", "𝄞", "ñ", "Ω", "👍🏽", "x"];

    private static readonly byte[][] BadTokens =
    [
        [0xFF], [0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x61, 0x00, 0x62], [0x00],
        [0xC3, 0xA9, 0xFF], [0xE6, 0x97], [0x80, 0x61], [0xE0, 0x80, 0x80], [0xF0, 0x80, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
        [0xE2, 0x80], [0xE3, 0x80, 0x41], [0xC2], [0xF0, 0x9F, 0x98],
    ];

    private readonly Random _random = new(seed);

    public int Vocabulary { get; init; } = 200;

    public int Lines { get; init; } = 1000;

    public double LongTagShare { get; init; } = 0.1;

    public double HugeTagShare { get; init; }

    public double BadTokenShare { get; init; } = 0.02;

    public double NonAsciiShare { get; init; } = 0.3;

    public bool AllDistinct { get; init; }

    /// <summary>The whole stream; it ends with <c>\n</c> unless <paramref name="unterminatedLast"/>.</summary>
    public byte[] Generate(bool unterminatedLast)
    {
        var vocabulary = new string[Vocabulary];
        for (var i = 0; i < vocabulary.Length; i++)
        {
            vocabulary[i] = NewTag();
        }

        var output = new MemoryStream();
        var distinct = 0;
        for (var line = 0; line < Lines; line++)
        {
            if (_random.Next(10) == 0)
            {
                output.Write(line % 3 == 0 ? "\r\n"u8 : "\n"u8);
                continue;
            }

            var tokens = _random.Next(0, 8);
            for (var t = 0; t < tokens; t++)
            {
                if (t > 0 || _random.Next(5) == 0)
                {
                    Write(output, Separators[_random.Next(Separators.Length)]);
                }

                if (_random.NextDouble() < BadTokenShare)
                {
                    output.Write(BadTokens[_random.Next(BadTokens.Length)]);
                }
                else if (AllDistinct)
                {
                    Write(output, $"t{distinct++}{(distinct % 7 == 0 ? "é" : "")}");
                }
                else
                {
                    // A skewed pick: small indexes are chosen far more often.
                    Write(output, vocabulary[_random.Next(_random.Next(1, vocabulary.Length + 1))]);
                }
            }

            if (_random.Next(6) == 0)
            {
                Write(output, Separators[_random.Next(Separators.Length)]);
            }

            output.Write(_random.Next(4) == 0 ? "\r\n"u8 : "\n"u8);
        }

        var bytes = output.ToArray();
        return unterminatedLast && bytes.Length > 0 ? bytes.AsSpan(0, bytes.Length - 1).ToArray() : bytes;
    }

    /// <summary>Cuts a stream into chunks of whole lines (the last may lack its <c>\n</c>), of very mixed sizes.</summary>
    public List<byte[]> Chunk(byte[] stream, int maxLines)
    {
        var chunks = new List<byte[]>();
        var start = 0;
        while (start < stream.Length)
        {
            var lines = _random.Next(1, maxLines + 1);
            var end = start;
            for (var i = 0; i < lines && end < stream.Length; i++)
            {
                var newline = stream.AsSpan(end).IndexOf((byte)'\n');
                end = newline < 0 ? stream.Length : end + newline + 1;
            }

            chunks.Add(stream[start..end]);
            start = end;
        }

        return chunks;
    }

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    private static void Write(MemoryStream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));

    private string NewTag()
    {
        if (_random.NextDouble() < HugeTagShare)
        {
            // Over 64 KiB: longer than any vector block, round or buffer the fast path might assume.
            return $"{(char)('a' + _random.Next(26))}{new string('h', 70_000 + _random.Next(1000))}{Pieces[_random.Next(Pieces.Length)]}";
        }

        // Lengths around 19 bytes cross the inline/long boundary of a slot.
        var length = _random.NextDouble() < LongTagShare ? _random.Next(18, 80) : _random.Next(1, 21);
        var builder = new StringBuilder();
        while (Encoding.UTF8.GetByteCount(builder.ToString()) < length)
        {
            builder.Append(_random.NextDouble() < NonAsciiShare
                ? Pieces[_random.Next(Pieces.Length)]
                : (char)('a' + _random.Next(26)));
        }

        return builder.ToString();
    }
}
