using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Tagstream.Sources.Lines;

/// <summary>
/// How a protocol line splits into hashtag tokens, the rule of docs/protocol.md ("Tokens"), owned here and nowhere
/// else: the counter's vectorized tokenizer applies it 64 bytes at a time with these definitions, and every reader
/// that turns a protocol line into hashtags (<c>extract</c>, replays of protocol files) walks a line with
/// <see cref="Split"/>.
/// <list type="number">
/// <item>Split on runs of ASCII whitespace: \t \n \v \f \r, 0x1C-0x1F and space. These bytes never occur inside a
/// multi-byte UTF-8 sequence, so this split is exact even on invalid input.</item>
/// <item>A piece made only of bytes 0x01-0x7F is one token.</item>
/// <item>A piece with a NUL byte or that is not valid UTF-8 is one malformed token: skipped and counted.</item>
/// <item>Any other piece is split further on Unicode whitespace (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
/// U+2029, U+202F, U+205F, U+3000), each non-empty part one token.</item>
/// </list>
/// On valid UTF-8 without NUL this is exactly Python's <c>str.split()</c> of the decoded line.
/// </summary>
internal static class TokenRule
{
    /// <summary>The ASCII whitespace bytes that separate tokens.</summary>
    public static readonly SearchValues<byte> AsciiWhitespace = SearchValues.Create("\t\n\v\f\r\x1C\x1D\x1E\x1F "u8);

    /// <summary>Whether <paramref name="b"/> is one of the ASCII whitespace bytes that separate tokens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsAsciiWhitespace(byte b) => (uint)(b - 9) <= 4 || (uint)(b - 28) <= 4;

    /// <summary>Whether a piece between ASCII whitespace is one malformed token: it holds NUL or is not valid UTF-8.</summary>
    public static bool IsMalformed(ReadOnlySpan<byte> piece) => piece.Contains((byte)0) || !Utf8.IsValid(piece);

    /// <summary>
    /// The length of the Unicode whitespace character at <paramref name="i"/> of a valid UTF-8 piece, or 0: U+0085 and
    /// U+00A0 (C2 85, C2 A0), U+1680 (E1 9A 80), U+2000-U+200A, U+2028, U+2029, U+202F (E2 80 80-8A, A8, A9, AF),
    /// U+205F (E2 81 9F) and U+3000 (E3 80 80). A lead byte is always followed by its continuation bytes in a valid
    /// piece, and continuation bytes (80-BF) never equal these lead bytes, so any index can be tested.
    /// </summary>
    public static int UnicodeWhitespaceAt(ReadOnlySpan<byte> piece, int i) => piece[i] switch
    {
        0xC2 => piece[i + 1] is 0x85 or 0xA0 ? 2 : 0,
        0xE1 => piece[i + 1] == 0x9A && piece[i + 2] == 0x80 ? 3 : 0,
        0xE2 => (piece[i + 1] == 0x80 && piece[i + 2] is <= 0x8A or 0xA8 or 0xA9 or 0xAF)
            || (piece[i + 1] == 0x81 && piece[i + 2] == 0x9F) ? 3 : 0,
        0xE3 => piece[i + 1] == 0x80 && piece[i + 2] == 0x80 ? 3 : 0,
        _ => 0,
    };

    /// <summary>Whether <paramref name="key"/> is exactly one token by this rule (so it could have been counted).</summary>
    public static bool IsSingleToken(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty)
        {
            return false;
        }

        for (var i = 0; i < key.Length;)
        {
            if (Rune.DecodeFromUtf8(key[i..], out var rune, out var consumed) != OperationStatus.Done
                || rune.Value == 0
                || Rune.IsWhiteSpace(rune)
                || rune.Value is >= 0x1C and <= 0x1F)
            {
                return false;
            }

            i += consumed;
        }

        return true;
    }

    /// <summary>
    /// Splits one line (or several: <c>\n</c> is whitespace) into its tokens, adding each valid token's range in
    /// <paramref name="line"/> to <paramref name="tokens"/>.
    /// </summary>
    /// <returns>The number of malformed tokens, which were skipped.</returns>
    public static int Split(ReadOnlySpan<byte> line, List<Range> tokens)
    {
        var malformed = 0;
        var start = 0;
        while (start < line.Length)
        {
            var length = line[start..].IndexOfAny(AsciiWhitespace);
            var end = length < 0 ? line.Length : start + length;
            if (end > start)
            {
                malformed += SplitPiece(line, start, end, tokens);
            }

            start = end + 1;
        }

        return malformed;
    }

    private static int SplitPiece(ReadOnlySpan<byte> line, int start, int end, List<Range> tokens)
    {
        var piece = line[start..end];
        if (!piece.ContainsAnyInRange((byte)0x80, (byte)0xFF) && !piece.Contains((byte)0))
        {
            tokens.Add(start..end);
            return 0;
        }

        if (IsMalformed(piece))
        {
            return 1;
        }

        var partStart = 0;
        for (var i = 0; i < piece.Length;)
        {
            var size = UnicodeWhitespaceAt(piece, i);
            if (size == 0)
            {
                i++;
                continue;
            }

            if (i > partStart)
            {
                tokens.Add((start + partStart)..(start + i));
            }

            i += size;
            partStart = i;
        }

        if (piece.Length > partStart)
        {
            tokens.Add((start + partStart)..end);
        }

        return 0;
    }
}
