using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Tagstream.Counting;

/// <summary>
/// Splits whole protocol lines into tokens, the rule documented in docs/protocol.md ("Tokens"):
/// <list type="number">
/// <item>Split on runs of ASCII whitespace: \t \n \v \f \r, 0x1C-0x1F and space (the ASCII part of Python's
/// <c>str.split()</c>). These bytes never occur inside a multi-byte UTF-8 sequence, so this split is exact even on
/// invalid input.</item>
/// <item>A piece made only of bytes 0x01-0x7F is one token.</item>
/// <item>A piece with a NUL byte or that is not valid UTF-8 is one malformed token: skipped and counted.</item>
/// <item>Any other piece (valid UTF-8 with non-ASCII characters) is split further on Unicode whitespace
/// (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), each non-empty part one token.</item>
/// </list>
/// On valid UTF-8 without NUL this is exactly Python's <c>str.split()</c> of the decoded line.
/// The scan classifies 64 bytes at a time with vector compares into bit masks (whitespace, newline, "byte &gt;= 0x80
/// or NUL") and walks token boundaries with bit scans; only pieces whose mask has a bit set take the slow path.
/// </summary>
internal static unsafe class Tokenizer
{
    private const int BlockSize = 64;

    private static readonly SearchValues<byte> AsciiWhitespace = SearchValues.Create("\t\n\v\f\r\x1C\x1D\x1E\x1F "u8);

    /// <summary>Whether <paramref name="b"/> is one of the ASCII whitespace bytes that separate tokens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsAsciiWhitespace(byte b) => (uint)(b - 9) <= 4 || (uint)(b - 28) <= 4;

    /// <summary>Whether <paramref name="key"/> is exactly one token by the rule above (so it could have been counted).</summary>
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
    /// The first index at or after <paramref name="from"/> that holds ASCII whitespace, or <paramref name="length"/>:
    /// a place where a chunk can be cut without cutting a token.
    /// </summary>
    public static int NextCut(byte* chunk, int from, int length)
    {
        if (from >= length)
        {
            return length;
        }

        var found = new ReadOnlySpan<byte>(chunk + from, length - from).IndexOfAny(AsciiWhitespace);
        return found < 0 ? length : from + found;
    }

    /// <summary>
    /// Tokenizes <c>chunk[start..end)</c>, which must begin at a token boundary (the chunk's start or ASCII
    /// whitespace) and end at one; adds each token to the worker's buffer of its shard and the figures to the worker.
    /// </summary>
    public static void Tokenize(byte* chunk, int chunkLength, int start, int end, WorkerState worker)
    {
        var shards = worker.ByShard;
        long tags = 0, newlines = 0;
        var tokenStart = -1;
        var tokenSpecial = false;
        ulong carry = 1; // the byte before the slice counts as whitespace: the slice starts at a boundary
        var padded = default(PaddedBlock);

        for (var pos = start; pos < end; pos += BlockSize)
        {
            ulong whitespace, special, newline;
            var remaining = end - pos;
            if (remaining >= BlockSize)
            {
                Classify(chunk + pos, out whitespace, out special, out newline);
            }
            else
            {
                // The last partial block: pad with spaces so an open token ends at the slice's end and bytes past
                // the slice (the next worker's) are never looked at.
                Span<byte> block = padded;
                block.Fill((byte)' ');
                new ReadOnlySpan<byte>(chunk + pos, remaining).CopyTo(block);
                fixed (byte* p = block)
                {
                    Classify(p, out whitespace, out special, out newline);
                }
            }

            newlines += BitOperations.PopCount(newline);

            // Token starts: non-whitespace after whitespace; token ends: whitespace after non-whitespace. After the
            // token carried over from the previous block is closed, starts and ends pair up in order.
            var previous = (whitespace << 1) | carry;
            var starts = ~whitespace & previous;
            var ends = whitespace & ~previous;
            carry = whitespace >> 63;
            if (tokenStart >= 0)
            {
                if (ends == 0)
                {
                    tokenSpecial |= special != 0;
                    continue;
                }

                var bit = BitOperations.TrailingZeroCount(ends);
                ends &= ends - 1;
                var below = (1UL << bit) - 1;
                tags += Emit(chunk, chunkLength, tokenStart, pos + bit - tokenStart, tokenSpecial | ((special & below) != 0), shards, worker);
                special &= ~below;
                tokenStart = -1;
                tokenSpecial = false;
            }

            while (ends != 0)
            {
                var first = BitOperations.TrailingZeroCount(starts);
                var bit = BitOperations.TrailingZeroCount(ends);
                starts &= starts - 1;
                ends &= ends - 1;

                // Special bits only sit on token bytes, and those of earlier tokens are already cleared, so the bits
                // below this end are exactly this token's.
                var below = (1UL << bit) - 1;
                tags += Emit(chunk, chunkLength, pos + first, bit - first, (special & below) != 0, shards, worker);
                special &= ~below;
            }

            if (starts != 0)
            {
                tokenStart = pos + BitOperations.TrailingZeroCount(starts);
                tokenSpecial = special != 0;
            }
        }

        if (tokenStart >= 0)
        {
            tags += Emit(chunk, chunkLength, tokenStart, end - tokenStart, tokenSpecial, shards, worker);
        }

        worker.Tags += tags;
        worker.Newlines += newlines;
    }

    /// <summary>Bit i of each mask describes byte i of the 64-byte block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Classify(byte* p, out ulong whitespace, out ulong special, out ulong newline)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Load(p);
            var b = Vector256.Load(p + 32);
            whitespace = Vector256.ExtractMostSignificantBits(IsWhitespace(a)) | ((ulong)Vector256.ExtractMostSignificantBits(IsWhitespace(b)) << 32);
            special = Vector256.ExtractMostSignificantBits(a | Vector256.Equals(a, Vector256<byte>.Zero))
                | ((ulong)Vector256.ExtractMostSignificantBits(b | Vector256.Equals(b, Vector256<byte>.Zero)) << 32);
            newline = Vector256.ExtractMostSignificantBits(Vector256.Equals(a, Vector256.Create((byte)'\n')))
                | ((ulong)Vector256.ExtractMostSignificantBits(Vector256.Equals(b, Vector256.Create((byte)'\n'))) << 32);
            return;
        }

        whitespace = special = newline = 0;
        for (var i = 0; i < BlockSize; i += 16)
        {
            var v = Vector128.Load(p + i);
            whitespace |= (ulong)Vector128.ExtractMostSignificantBits(IsWhitespace(v)) << i;
            special |= (ulong)Vector128.ExtractMostSignificantBits(v | Vector128.Equals(v, Vector128<byte>.Zero)) << i;
            newline |= (ulong)Vector128.ExtractMostSignificantBits(Vector128.Equals(v, Vector128.Create((byte)'\n'))) << i;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> IsWhitespace(Vector256<byte> v) =>
        Vector256.LessThanOrEqual(v - Vector256.Create((byte)9), Vector256.Create((byte)4))
        | Vector256.LessThanOrEqual(v - Vector256.Create((byte)28), Vector256.Create((byte)4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> IsWhitespace(Vector128<byte> v) =>
        Vector128.LessThanOrEqual(v - Vector128.Create((byte)9), Vector128.Create((byte)4))
        | Vector128.LessThanOrEqual(v - Vector128.Create((byte)28), Vector128.Create((byte)4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Emit(byte* chunk, int chunkLength, int offset, int length, bool special, TokenBuffer[] shards, WorkerState worker)
    {
        if (special)
        {
            return EmitSpecial(chunk, chunkLength, offset, length, shards, worker);
        }

        Add(chunk, chunkLength, offset, length, shards, worker.DegenerateHash);
        return 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(byte* chunk, int chunkLength, int offset, int length, TokenBuffer[] shards, bool degenerate)
    {
        // Short keys (most) hash the same 16-byte block the table will compare, built with one load and no branch
        // on the length; HashtagSharding.Hash computes the same value from a span.
        var hash = length <= CountingTable.MaxInlineLength
            ? HashtagSharding.HashShort(CountingTable.InlineKey(chunk, chunkLength, offset, length))
            : HashtagSharding.Hash(new ReadOnlySpan<byte>(chunk + offset, length));
        if (degenerate)
        {
            hash = KeyHash.Degenerate(hash);
        }

        shards[shards.Length == 1 ? 0 : HashtagSharding.ShardOfUnchecked(hash, shards.Length)].Add(offset, length, CountingTable.FingerprintOf(hash));
    }

    /// <summary>The slow path: a piece with a byte &gt;= 0x80 or a NUL byte.</summary>
    /// <returns>The number of tokens added.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int EmitSpecial(byte* chunk, int chunkLength, int offset, int length, TokenBuffer[] shards, WorkerState worker)
    {
        var piece = new ReadOnlySpan<byte>(chunk + offset, length);
        var scan = ScanNonAscii(piece);
        if (scan == PieceKind.Malformed)
        {
            worker.Malformed++;
            return 0;
        }

        var degenerate = worker.DegenerateHash;
        if (scan == PieceKind.Token)
        {
            Add(chunk, chunkLength, offset, length, shards, degenerate);
            return 1;
        }

        var tags = 0;
        var partStart = 0;
        var i = 0;
        while (i < piece.Length)
        {
            Rune.DecodeFromUtf8(piece[i..], out var rune, out var consumed);
            if (rune.Value >= 0x80 && Rune.IsWhiteSpace(rune))
            {
                if (i > partStart)
                {
                    Add(chunk, chunkLength, offset + partStart, i - partStart, shards, degenerate);
                    tags++;
                }

                partStart = i + consumed;
            }

            i += consumed;
        }

        if (piece.Length > partStart)
        {
            Add(chunk, chunkLength, offset + partStart, piece.Length - partStart, shards, degenerate);
            tags++;
        }

        return tags;
    }

    /// <summary>
    /// One pass over a piece with a byte &gt;= 0x80 or a NUL: validates UTF-8 (RFC 3629: no overlongs, surrogates or
    /// code points above U+10FFFF) and looks for the lead bytes of the Unicode whitespace characters (C2 for U+0085 and
    /// U+00A0, E1 for U+1680, E2 for U+2000-U+205F, E3 for U+3000). Short pieces make a scalar loop cheaper than
    /// several vectorized span calls.
    /// </summary>
    private static PieceKind ScanNonAscii(ReadOnlySpan<byte> piece)
    {
        var maybeSpace = false;
        var i = 0;
        while (i < piece.Length)
        {
            var lead = piece[i];
            if (lead < 0x80)
            {
                if (lead == 0)
                {
                    return PieceKind.Malformed;
                }

                i++;
                continue;
            }

            int size;
            byte low = 0x80, high = 0xBF;
            switch (lead)
            {
                case < 0xC2:
                    return PieceKind.Malformed;
                case < 0xE0:
                    size = 2;
                    maybeSpace |= lead == 0xC2;
                    break;
                case < 0xF0:
                    size = 3;
                    maybeSpace |= lead is >= 0xE1 and <= 0xE3;
                    (low, high) = lead == 0xE0 ? ((byte)0xA0, (byte)0xBF) : lead == 0xED ? ((byte)0x80, (byte)0x9F) : (low, high);
                    break;
                case < 0xF5:
                    size = 4;
                    (low, high) = lead == 0xF0 ? ((byte)0x90, (byte)0xBF) : lead == 0xF4 ? ((byte)0x80, (byte)0x8F) : (low, high);
                    break;
                default:
                    return PieceKind.Malformed;
            }

            if (i + size > piece.Length || piece[i + 1] < low || piece[i + 1] > high)
            {
                return PieceKind.Malformed;
            }

            for (var k = 2; k < size; k++)
            {
                if ((piece[i + k] & 0xC0) != 0x80)
                {
                    return PieceKind.Malformed;
                }
            }

            i += size;
        }

        return maybeSpace ? PieceKind.MayContainWhitespace : PieceKind.Token;
    }
}
