using System.Text;

namespace Tagstream.Tests.Counting;

/// <summary>
/// Seeded byte streams built to break a tokenizer's non-ASCII path: every kind of invalid UTF-8 (lone continuation
/// bytes, overlong forms, surrogates, code points above U+10FFFF, bytes F5-FF, sequences cut short), NUL, every Unicode
/// whitespace code point, characters that share a lead byte with Unicode whitespace but are not whitespace, and the
/// edges of each UTF-8 length, joined with or without ASCII whitespace between them and with ASCII runs of random
/// length, so that every kind of piece lands across and at the end of 64-byte blocks.
/// </summary>
internal sealed class AdversarialBytes(int seed)
{
    public static readonly byte[][] Valid =
    [
        .. new[]
        {
            "a", "Z", "é", "ß", "Ω", "ж", "日", "本", "語", "한", "😀", "👍🏽", "𝄞", "～",
            "\u0080", "\u00BF", "\u00A9", "\u00AB", "\u00C0", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uFFFD", "\uFFFF", "\U00010000", "\U0010FFFF",
            "\u1681", "\u167F", "\u1FFF", "\u200B", "\u200C", "\u2026", "\u2027", "\u202A", "\u202E", "\u2030", "\u205E", "\u2060",
            "\u2080", "\u20AC", "\u2019", "\u201C", "\u3001", "\u3002", "\u2FFF", "\u3030", "\u180E", "\uFEFF", "\u0084", "\u0086",
            "\u009F", "\u00A1",
        }.Select(Encoding.UTF8.GetBytes),
        .. TokenizerReference.UnicodeWhitespace.Select(codePoint => Encoding.UTF8.GetBytes(char.ConvertFromUtf32(codePoint))),
    ];

    public static readonly byte[][] Invalid =
    [
        [0x00], [0x80], [0xBF], [0x80, 0x80], [0xC0, 0x80], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],
        [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
        [0xF4, 0xBF, 0xBF, 0xBF], [0xF5, 0x80, 0x80, 0x80], [0xF8], [0xFB, 0xBF], [0xFE], [0xFF],
        [0xC2], [0xC3], [0xDF], [0xE0], [0xE0, 0xA0], [0xE1, 0x9A], [0xE2], [0xE2, 0x80], [0xE3, 0x80], [0xEF, 0xBF],
        [0xF0], [0xF0, 0x9F], [0xF0, 0x9F, 0x98], [0xF4, 0x8F, 0xBF], [0xC3, 0xC3], [0xE2, 0x41], [0xF0, 0x9F, 0x41, 0x80],
        [0xE2, 0x80, 0xE2], [0xC2, 0x00],
    ];

    private static readonly byte[] AsciiWhitespace = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20];

    private readonly Random _random = new(seed);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public int Next(int min, int maxExclusive) => _random.Next(min, maxExclusive);

    /// <summary>About <paramref name="length"/> bytes; <paramref name="invalidShare"/> of the atoms are invalid.</summary>
    public byte[] Generate(int length, double invalidShare)
    {
        var output = new List<byte>(length + 16);
        while (output.Count < length)
        {
            switch (_random.Next(10))
            {
                case 0:
                case 1:
                    // ASCII whitespace, sometimes a run.
                    for (var n = _random.Next(1, 4); n > 0; n--)
                    {
                        output.Add(AsciiWhitespace[_random.Next(AsciiWhitespace.Length)]);
                    }

                    break;
                case 2:
                    // An ASCII run of random length: shifts everything after it against the 64-byte blocks.
                    for (var n = _random.Next(1, 70); n > 0; n--)
                    {
                        output.Add((byte)('a' + _random.Next(26)));
                    }

                    break;
                default:
                    output.AddRange(_random.NextDouble() < invalidShare ? Invalid[_random.Next(Invalid.Length)] : Valid[_random.Next(Valid.Length)]);
                    break;
            }
        }

        return [.. output];
    }
}
