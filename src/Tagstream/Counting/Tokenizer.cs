using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tagstream.Sources.Lines;

namespace Tagstream.Counting;

/// <summary>
/// Splits whole protocol lines into tokens by the <see cref="TokenRule"/>, at the speed of the counter.
/// The scan classifies 64 bytes at a time with vector compares into bit masks (whitespace, newline, "byte &gt;= 0x80
/// or NUL") and walks token boundaries with bit scans. A block with a byte &gt;= 0x80 or NUL is also checked as UTF-8
/// with vector compares (<see cref="CheckUtf8"/>), so a valid non-ASCII token is added like an ASCII one; only a
/// malformed token or one with a lead byte that Unicode whitespace also uses (C2, E1, E2, E3) takes the slow path.
/// </summary>
internal static unsafe class Tokenizer
{
    private const int BlockSize = 64;

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

        var found = new ReadOnlySpan<byte>(chunk + from, length - from).IndexOfAny(TokenRule.AsciiWhitespace);
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
        var tokenOdd = false;
        var tokenInvalid = false;
        var previousWhitespace = 1UL << 63; // the byte before the slice counts as whitespace: the slice starts at a boundary
        ulong pending = 0;
        var utf8 = default(Utf8Carry);
        var padded = default(PaddedBlock);

        // The last block is always a padded one (all spaces when the slice is a whole number of blocks), so that every
        // token, and every multi-byte sequence cut short by the slice's end, is closed inside the loop.
        for (var pos = start; pos <= end; pos += BlockSize)
        {
            ulong whitespace, special, newline;
            var remaining = end - pos;
            byte* block;
            if (remaining >= BlockSize)
            {
                block = chunk + pos;
            }
            else
            {
                // Pad with spaces so an open token ends at the slice's end and bytes past the slice (the next
                // worker's) are never looked at.
                Span<byte> bytes = padded;
                bytes.Fill((byte)' ');
                new ReadOnlySpan<byte>(chunk + pos, remaining).CopyTo(bytes);
                block = (byte*)Unsafe.AsPointer(ref padded);
            }

            Classify(block, out whitespace, out special, out newline);
            newlines += BitOperations.PopCount(newline);

            // Odd bits mark the tokens that are not simply one token: invalid UTF-8 or NUL (also marked on the
            // whitespace that cuts a sequence short), or a lead byte that Unicode whitespace also uses. A block
            // without a byte >= 0x80 or NUL, and not continuing a sequence from the block before, has none.
            ulong odd = 0, invalid = 0;
            if ((special | pending) != 0)
            {
                odd = CheckUtf8(block, special, whitespace, previousWhitespace, ref utf8, out invalid, out pending);
            }

            // Token starts: non-whitespace after whitespace; token ends: whitespace after non-whitespace. After the
            // token carried over from the previous block is closed, starts and ends pair up in order.
            var previous = (whitespace << 1) | (previousWhitespace >> 63);
            var starts = ~whitespace & previous;
            var ends = whitespace & ~previous;
            previousWhitespace = whitespace;
            if (tokenStart >= 0)
            {
                if (ends == 0)
                {
                    if (odd != 0)
                    {
                        tokenOdd = true;
                        tokenInvalid |= invalid != 0;
                    }

                    continue;
                }

                // A token's odd bits are its own bytes' and its ending whitespace's.
                var bit = BitOperations.TrailingZeroCount(ends);
                ends &= ends - 1;
                var through = (2UL << bit) - 1;
                var length = pos + bit - tokenStart;
                if (tokenOdd | ((odd & through) != 0))
                {
                    tags += EmitSpecial(chunk, chunkLength, tokenStart, length, tokenInvalid | ((invalid & through) != 0), shards, worker);
                }
                else
                {
                    Add(chunk, chunkLength, tokenStart, length, shards, worker.DegenerateHash);
                    tags++;
                }

                odd &= ~through;
                tokenStart = -1;
                tokenOdd = false;
                tokenInvalid = false;
            }

            while (ends != 0)
            {
                var first = BitOperations.TrailingZeroCount(starts);
                var bit = BitOperations.TrailingZeroCount(ends);
                starts &= starts - 1;
                ends &= ends - 1;

                // Odd bits of earlier tokens are already cleared, so the bits through this end are exactly this token's.
                var through = (2UL << bit) - 1;
                if ((odd & through) != 0)
                {
                    tags += EmitSpecial(chunk, chunkLength, pos + first, bit - first, (invalid & through & (ulong.MaxValue << first)) != 0, shards, worker);
                }
                else
                {
                    Add(chunk, chunkLength, pos + first, bit - first, shards, worker.DegenerateHash);
                    tags++;
                }

                odd &= ~through;
            }

            if (starts != 0)
            {
                var first = BitOperations.TrailingZeroCount(starts);
                tokenStart = pos + first;
                tokenOdd = odd != 0;
                tokenInvalid = (invalid & (ulong.MaxValue << first)) != 0;
            }
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
    private static void Add(byte* chunk, int chunkLength, int offset, int length, TokenBuffer[] shards, bool degenerate)
    {
        // Short keys (most) hash the same slot-shaped key the table will compare, built with one load and no branch
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

    /// <summary>
    /// Checks a block that holds a byte &gt;= 0x80 or NUL, or continues a sequence begun in the block before, as
    /// RFC 3629 UTF-8 (no overlongs, surrogates, code points above U+10FFFF or truncated sequences), all 64 bytes at
    /// once with vector compares: a continuation byte (80-BF) must sit exactly where a lead byte expects one.
    /// </summary>
    /// <param name="block">The block's 64 bytes.</param>
    /// <param name="special">The block's bytes &gt;= 0x80 or NUL.</param>
    /// <param name="whitespace">The block's ASCII whitespace.</param>
    /// <param name="previousWhitespace">The ASCII whitespace of the block before (its last bit set at the slice's start).</param>
    /// <param name="carry">The lead bytes of the block before on entry (only its last three bits matter, and only when it
    /// left <paramref name="pending"/> non-zero), this block's on return.</param>
    /// <param name="invalid">
    /// Bits on NUL, on bytes that are never UTF-8, and on every place where a continuation byte is missing or
    /// unexpected. A sequence cut short by whitespace is marked on that whitespace, which ends its token; expectations
    /// never reach past it, so the next token is not blamed.
    /// </param>
    /// <param name="pending">Non-zero when the block's last bytes begin a sequence that continues in the next block.</param>
    /// <returns><paramref name="invalid"/> and the lead bytes C2, E1, E2, E3 that Unicode whitespace also uses.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong CheckUtf8(byte* block, ulong special, ulong whitespace, ulong previousWhitespace, ref Utf8Carry carry, out ulong invalid, out ulong pending)
    {
        var high = AtLeast(block, 0x80);
        var c0 = AtLeast(block, 0xC0);
        var c2 = AtLeast(block, 0xC2);
        var e0 = AtLeast(block, 0xE0);
        var e1 = AtLeast(block, 0xE1);
        var e4 = AtLeast(block, 0xE4);
        var f0 = AtLeast(block, 0xF0);
        var f5 = AtLeast(block, 0xF5);
        var a0 = AtLeast(block, 0xA0);
        var b90 = AtLeast(block, 0x90);
        var isC2 = EqualTo(block, 0xC2);
        var isEd = EqualTo(block, 0xED);
        var isF4 = EqualTo(block, 0xF4);

        var continuation = high & ~c0;
        var lead = c2 & ~f5;
        var lead34 = e0 & ~f5;
        var lead4 = f0 & ~f5;
        var isE0 = e0 & ~e1;
        var isF0 = f0 & ~AtLeast(block, 0xF1);

        // NUL, C0, C1 (overlong 2-byte forms) and F5-FF are never part of valid UTF-8.
        var bad = (special & ~high) | (c0 & ~c2) | f5;
        var whitespace1 = Shift(whitespace, previousWhitespace, 1);
        var whitespace2 = Shift(whitespace, previousWhitespace, 2);
        var expected = Shift(lead, carry.Lead, 1)
            | (Shift(lead34, carry.Lead34, 2) & ~whitespace1)
            | (Shift(lead4, carry.Lead4, 3) & ~whitespace1 & ~whitespace2);

        // The second byte after E0 must be A0-BF, after ED 80-9F, after F0 90-BF, after F4 80-8F; when it is not a
        // continuation byte at all, `expected` already marks it.
        var range = (Shift(isE0, carry.E0, 1) & ~a0)
            | (Shift(isEd, carry.Ed, 1) & a0)
            | (Shift(isF0, carry.F0, 1) & ~b90)
            | (Shift(isF4, carry.F4, 1) & b90);

        invalid = (expected ^ continuation) | bad | range;
        pending = (lead >> 63) | (lead34 >> 62) | (lead4 >> 61);
        carry.Lead = lead;
        carry.Lead34 = lead34;
        carry.Lead4 = lead4;
        carry.E0 = isE0;
        carry.Ed = isEd;
        carry.F0 = isF0;
        carry.F4 = isF4;
        return invalid | isC2 | (e1 & ~e4);
    }

    /// <summary>The mask <paramref name="mask"/> moved <paramref name="count"/> bytes later, filled from the block before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Shift(ulong mask, ulong previous, int count) => (mask << count) | (previous >> (64 - count));

    /// <summary>Bit i: byte i of the block is at least <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AtLeast(byte* block, byte value)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Vector512.ExtractMostSignificantBits(Vector512.GreaterThanOrEqual(Vector512.Load(block), Vector512.Create(value)));
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Vector256.ExtractMostSignificantBits(Vector256.GreaterThanOrEqual(Vector256.Load(block), Vector256.Create(value)))
                | ((ulong)Vector256.ExtractMostSignificantBits(Vector256.GreaterThanOrEqual(Vector256.Load(block + 32), Vector256.Create(value))) << 32);
        }

        ulong mask = 0;
        for (var i = 0; i < BlockSize; i += 16)
        {
            mask |= (ulong)Vector128.ExtractMostSignificantBits(Vector128.GreaterThanOrEqual(Vector128.Load(block + i), Vector128.Create(value))) << i;
        }

        return mask;
    }

    /// <summary>Bit i: byte i of the block is <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EqualTo(byte* block, byte value)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Vector512.ExtractMostSignificantBits(Vector512.Equals(Vector512.Load(block), Vector512.Create(value)));
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Vector256.ExtractMostSignificantBits(Vector256.Equals(Vector256.Load(block), Vector256.Create(value)))
                | ((ulong)Vector256.ExtractMostSignificantBits(Vector256.Equals(Vector256.Load(block + 32), Vector256.Create(value))) << 32);
        }

        ulong mask = 0;
        for (var i = 0; i < BlockSize; i += 16)
        {
            mask |= (ulong)Vector128.ExtractMostSignificantBits(Vector128.Equals(Vector128.Load(block + i), Vector128.Create(value))) << i;
        }

        return mask;
    }

    /// <summary>
    /// The slow path: a piece that is invalid (one malformed token), or valid UTF-8 with a lead byte that Unicode
    /// whitespace also uses, split on the exact whitespace sequences.
    /// </summary>
    /// <returns>The number of tokens added.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int EmitSpecial(byte* chunk, int chunkLength, int offset, int length, bool malformed, TokenBuffer[] shards, WorkerState worker)
    {
        if (malformed)
        {
            worker.Malformed++;
            return 0;
        }

        var piece = new ReadOnlySpan<byte>(chunk + offset, length);
        var degenerate = worker.DegenerateHash;
        var tags = 0;
        var partStart = 0;
        var i = 0;
        while (i < piece.Length)
        {
            var size = TokenRule.UnicodeWhitespaceAt(piece, i);
            if (size == 0)
            {
                i++;
                continue;
            }

            if (i > partStart)
            {
                Add(chunk, chunkLength, offset + partStart, i - partStart, shards, degenerate);
                tags++;
            }

            i += size;
            partStart = i;
        }

        if (piece.Length > partStart)
        {
            Add(chunk, chunkLength, offset + partStart, piece.Length - partStart, shards, degenerate);
            tags++;
        }

        return tags;
    }
}
