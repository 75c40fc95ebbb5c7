using System.Buffers;
using System.Text;

namespace Tagstream.Tests.Counting;

/// <summary>
/// The token rule of docs/protocol.md ("Tokens") applied literally, one byte and one rune at a time: split on ASCII
/// whitespace; a piece with a NUL or that <see cref="Rune.DecodeFromUtf8"/> rejects somewhere is one malformed token;
/// any other piece is split on the Unicode whitespace code points the rule lists.
/// </summary>
internal static class TokenizerReference
{
    /// <summary>The rule's Unicode whitespace, written out rather than taken from .NET's tables.</summary>
    public static readonly int[] UnicodeWhitespace =
        [0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000];

    private static readonly byte[] AsciiWhitespace = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20];

    public static (List<byte[]> Tokens, int Malformed) Tokenize(ReadOnlySpan<byte> bytes)
    {
        var tokens = new List<byte[]>();
        var malformed = 0;
        var start = 0;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i < bytes.Length && Array.IndexOf(AsciiWhitespace, bytes[i]) < 0)
            {
                continue;
            }

            if (i > start && !SplitPiece(bytes[start..i], tokens))
            {
                malformed++;
            }

            start = i + 1;
        }

        return (tokens, malformed);
    }

    /// <summary>Adds the piece's tokens, or returns false when the piece is malformed.</summary>
    private static bool SplitPiece(ReadOnlySpan<byte> piece, List<byte[]> tokens)
    {
        var parts = new List<byte[]>();
        var part = new List<byte>();
        for (var i = 0; i < piece.Length;)
        {
            if (Rune.DecodeFromUtf8(piece[i..], out var rune, out var consumed) != OperationStatus.Done || rune.Value == 0)
            {
                return false;
            }

            if (Array.IndexOf(UnicodeWhitespace, rune.Value) >= 0)
            {
                Flush(part, parts);
            }
            else
            {
                part.AddRange(piece.Slice(i, consumed));
            }

            i += consumed;
        }

        Flush(part, parts);
        tokens.AddRange(parts);
        return true;
    }

    private static void Flush(List<byte> part, List<byte[]> parts)
    {
        if (part.Count > 0)
        {
            parts.Add([.. part]);
            part.Clear();
        }
    }
}
