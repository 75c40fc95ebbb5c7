using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Tagstream.Feed;

/// <summary>
/// The feed log's file format, version 1 (docs/protocol.md, "The feed log"). All integers little-endian.
/// A segment is a header then records, each record checksummed on its own, so that a record torn by a crash is
/// recognised and nothing after the last whole record is trusted.
/// </summary>
/// <remarks>
/// Segment header: magic <c>TGSL</c>, u16 version, u16 reserved, u32 header length, i64 first line, i64 first byte,
/// u16 + UTF-8 run id, u32 + UTF-8 source identity, u64 XxHash3 of the preceding header bytes.
/// Record: u32 payload length, u32 line count, i64 first line, i64 first byte, u16 position length (0 = none),
/// u16 reserved, then the position (i64 offset, i64 lines since it, UTF-8 run), the payload (whole lines), and a u64
/// XxHash3 of everything before it in the record.
/// </remarks>
internal static class FeedLogFormat
{
    /// <summary>The version this code writes and reads; a log with another version is refused, never guessed at.</summary>
    public const ushort Version = 1;

    public const string SegmentExtension = ".seg";

    public const int RecordFixedBytes = 28;

    public const int HashBytes = 8;

    /// <summary>A record's header with its position, at most: the fixed part and a run name of up to 4 KiB.</summary>
    public const int MaxRecordHeaderBytes = RecordFixedBytes + PositionFixedBytes + MaxRunBytes;

    /// <summary>The largest payload accepted when reading: far above any chunk a source yields.</summary>
    public const int MaxPayloadBytes = 256 << 20;

    private const int PositionFixedBytes = 16;
    private const int MaxRunBytes = 4096;
    private const int SegmentPreambleBytes = 12;
    private const int MaxSegmentHeaderBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "TGSL"u8;

    public static string SegmentFileName(long firstLine) => firstLine.ToString("D19", CultureInfo.InvariantCulture) + SegmentExtension;

    public static bool TryParseSegmentFileName(string fileName, out long firstLine)
    {
        firstLine = 0;
        return fileName.EndsWith(SegmentExtension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, fileName.Length - SegmentExtension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out firstLine);
    }

    public static byte[] EncodeSegmentHeader(FeedLogSegmentHeader header)
    {
        byte[] run = Encoding.UTF8.GetBytes(header.RunId);
        byte[] source = Encoding.UTF8.GetBytes(header.Source);
        int length = SegmentPreambleBytes + 16 + 2 + run.Length + 4 + source.Length + HashBytes;
        byte[] bytes = new byte[length];
        Span<byte> span = bytes;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], length);
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], header.FirstLine);
        BinaryPrimitives.WriteInt64LittleEndian(span[20..], header.FirstByte);
        BinaryPrimitives.WriteUInt16LittleEndian(span[28..], checked((ushort)run.Length));
        run.CopyTo(span[30..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[(30 + run.Length)..], source.Length);
        source.CopyTo(span[(34 + run.Length)..]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[^HashBytes..], XxHash3.HashToUInt64(span[..^HashBytes]));
        return bytes;
    }

    /// <summary>Reads a segment's header; null when the file is too short or damaged to hold one.</summary>
    /// <exception cref="FeedLogException">The segment was written by another format version.</exception>
    public static (FeedLogSegmentHeader Header, int Length)? ReadSegmentHeader(Microsoft.Win32.SafeHandles.SafeFileHandle file, string path)
    {
        Span<byte> preamble = stackalloc byte[SegmentPreambleBytes];
        if (RandomAccess.Read(file, preamble, 0) < preamble.Length || !preamble[..4].SequenceEqual(Magic))
        {
            return null;
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(preamble[4..]);
        if (version != Version)
        {
            throw new FeedLogException(
                $"The feed log segment {path} has format version {version}; this Tagstream reads version {Version}. Use a matching Tagstream version or another --log folder.");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(preamble[8..]);
        if (length is < SegmentPreambleBytes + 16 + 2 + 4 + HashBytes or > MaxSegmentHeaderBytes)
        {
            return null;
        }

        byte[] bytes = new byte[length];
        if (RandomAccess.Read(file, bytes, 0) < length)
        {
            return null;
        }

        ReadOnlySpan<byte> span = bytes;
        if (XxHash3.HashToUInt64(span[..^HashBytes]) != BinaryPrimitives.ReadUInt64LittleEndian(span[^HashBytes..]))
        {
            return null;
        }

        int runLength = BinaryPrimitives.ReadUInt16LittleEndian(span[28..]);
        if (30 + runLength + 4 > length - HashBytes)
        {
            return null;
        }

        int sourceLength = BinaryPrimitives.ReadInt32LittleEndian(span[(30 + runLength)..]);
        if (sourceLength < 0 || 34 + runLength + sourceLength != length - HashBytes)
        {
            return null;
        }

        var header = new FeedLogSegmentHeader(
            BinaryPrimitives.ReadInt64LittleEndian(span[12..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[20..]),
            Encoding.UTF8.GetString(span.Slice(30, runLength)),
            Encoding.UTF8.GetString(span.Slice(34 + runLength, sourceLength)));
        return (header, length);
    }

    /// <summary>Writes a record's header and position into <paramref name="destination"/>; returns their length.</summary>
    public static int EncodeRecordHeader(in FeedLogRecordHeader header, Span<byte> destination)
    {
        int runLength = header.Position is { } position ? Encoding.UTF8.GetByteCount(position.Run) : 0;
        if (runLength > MaxRunBytes)
        {
            throw new ArgumentException($"A source position's run name is longer than {MaxRunBytes} bytes.", nameof(header));
        }

        BinaryPrimitives.WriteInt32LittleEndian(destination, header.PayloadLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], header.LineCount);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], header.FirstLine);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], header.FirstByte);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[26..], 0);
        if (header.Position is not { } at)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[24..], 0);
            return RecordFixedBytes;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination[24..], (ushort)(PositionFixedBytes + runLength));
        BinaryPrimitives.WriteInt64LittleEndian(destination[28..], at.Offset);
        BinaryPrimitives.WriteInt64LittleEndian(destination[36..], header.LinesSincePosition);
        Encoding.UTF8.GetBytes(at.Run, destination[44..]);
        return RecordFixedBytes + PositionFixedBytes + runLength;
    }

    /// <summary>The length of the position that follows a record's fixed header, or -1 when the header is not valid.</summary>
    public static int PositionLength(ReadOnlySpan<byte> fixedHeader)
    {
        int length = BinaryPrimitives.ReadUInt16LittleEndian(fixedHeader[24..]);
        return length == 0 || length is >= PositionFixedBytes and <= PositionFixedBytes + MaxRunBytes ? length : -1;
    }

    /// <summary>Decodes a record's header (fixed part and position); false when its fields cannot be right.</summary>
    public static bool TryDecodeRecordHeader(ReadOnlySpan<byte> bytes, out FeedLogRecordHeader header)
    {
        header = default;
        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        int lineCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        int positionLength = PositionLength(bytes);
        if (payloadLength is < 1 or > MaxPayloadBytes || lineCount < 1 || lineCount > payloadLength || positionLength < 0
            || BinaryPrimitives.ReadUInt16LittleEndian(bytes[26..]) != 0)
        {
            return false;
        }

        SourcePosition? position = null;
        long linesSince = 0;
        if (positionLength > 0)
        {
            position = new SourcePosition(
                Encoding.UTF8.GetString(bytes.Slice(RecordFixedBytes + PositionFixedBytes, positionLength - PositionFixedBytes)),
                BinaryPrimitives.ReadInt64LittleEndian(bytes[RecordFixedBytes..]));
            linesSince = BinaryPrimitives.ReadInt64LittleEndian(bytes[(RecordFixedBytes + 8)..]);
        }

        header = new FeedLogRecordHeader(
            payloadLength,
            lineCount,
            BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]),
            position,
            linesSince);
        return linesSince >= 0;
    }

    /// <summary>The total length of a record with this header length and payload.</summary>
    public static long RecordLength(int headerLength, int payloadLength) => (long)headerLength + payloadLength + HashBytes;
}
