using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Tagstream.Files;

namespace Tagstream.State;

/// <summary>
/// The checkpoint file format (docs/checkpoints.md): a fixed preamble (magic, format version, kind, flags), the
/// metadata as varints, the entries as (varint key length, UTF-8 key, varint total), and an XxHash3-64 of all
/// preceding bytes. Files are written to a temporary name, fsync'ed, renamed into place and the folder fsync'ed,
/// so a file under its final name is either whole or damaged by the disk, never half-written by us.
/// </summary>
internal static class CheckpointFile
{
    /// <summary>The format this code writes and reads; a file with another version is refused, never guessed at.</summary>
    public const ushort FormatVersion = 1;

    public const string DeltaExtension = ".delta";
    public const string SnapshotExtension = ".snapshot";
    public const string TemporaryExtension = ".tmp";

    private const int PreambleLength = 8;
    private const int HashLength = 8;
    private const byte HasPositionFlag = 1;

    /// <summary>"TGSC" (Tagstream checkpoint), so that a stray file is never taken for a checkpoint.</summary>
    private static ReadOnlySpan<byte> Magic => "TGSC"u8;

    public static string FileName(CheckpointFileKind kind, long batch) =>
        batch.ToString("D19", CultureInfo.InvariantCulture) + (kind == CheckpointFileKind.Delta ? DeltaExtension : SnapshotExtension);

    public static bool TryParseFileName(string fileName, out CheckpointFileKind kind, out long batch)
    {
        var extension = Path.GetExtension(fileName);
        kind = extension switch
        {
            DeltaExtension => CheckpointFileKind.Delta,
            SnapshotExtension => CheckpointFileKind.Snapshot,
            _ => 0,
        };
        batch = 0;
        return kind != 0
            && long.TryParse(Path.GetFileNameWithoutExtension(fileName), NumberStyles.None, CultureInfo.InvariantCulture, out batch);
    }

    /// <summary>Writes a whole file durably under its final name; <paramref name="entries"/> is already encoded.</summary>
    public static void WriteAtomically(string directory, CheckpointFileHeader header, ReadOnlySpan<byte> entries)
    {
        var metadata = EncodeMetadata(header);
        var hasher = new XxHash3();
        hasher.Append(metadata);
        hasher.Append(entries);
        Span<byte> hash = stackalloc byte[HashLength];
        BinaryPrimitives.WriteUInt64LittleEndian(hash, hasher.GetCurrentHashAsUInt64());

        var path = Path.Combine(directory, FileName(header.Kind, header.Batch));
        var temporary = path + TemporaryExtension;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            stream.Write(metadata);
            stream.Write(entries);
            stream.Write(hash);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(directory);
    }

    /// <summary>
    /// Reads and fully checks a file, then, only if it is whole, passes its entries to <paramref name="visitor"/>:
    /// a damaged file never contributes a single entry.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is truncated or corrupt.</exception>
    /// <exception cref="CheckpointException">The file was written by another format version.</exception>
    public static CheckpointFileHeader Read(string path, CheckpointFileKind expectedKind, long expectedBatch, CheckpointEntryVisitor? visitor)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Path.GetFileName(path);
        if (bytes.Length < PreambleLength + HashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CheckpointFormatException($"{name} is truncated or not a Tagstream checkpoint file ({bytes.Length} bytes)");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4));
        if (version != FormatVersion)
        {
            throw new CheckpointException(
                $"Checkpoint file {path} has format version {version}; this Tagstream reads version {FormatVersion}. " +
                "Use a matching Tagstream version, another --checkpoint folder, or --no-checkpoint.");
        }

        var body = bytes.AsSpan(0, bytes.Length - HashLength);
        var stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - HashLength));
        if (XxHash3.HashToUInt64(body) != stored)
        {
            throw new CheckpointFormatException($"{name} fails its checksum (truncated or corrupt)");
        }

        var position = PreambleLength;
        var header = DecodeMetadata(body, ref position, name);
        if (header.Kind != expectedKind || header.Batch != expectedBatch)
        {
            throw new CheckpointFormatException($"{name} holds a {header.Kind} of batch {header.Batch}, not what its name says");
        }

        var entriesStart = position;
        ReadEntries(body, ref position, header.EntryCount, name, visitor: null);
        if (visitor is not null)
        {
            position = entriesStart;
            ReadEntries(body, ref position, header.EntryCount, name, visitor);
        }

        return header;
    }

    private static void ReadEntries(ReadOnlySpan<byte> body, ref int position, long count, string name, CheckpointEntryVisitor? visitor)
    {
        for (long i = 0; i < count; i++)
        {
            if (!Varint.TryRead(body, ref position, out var length) || length > (ulong)(body.Length - position))
            {
                throw new CheckpointFormatException($"{name}: entry {i} has a bad key length");
            }

            var key = body.Slice(position, (int)length);
            position += (int)length;
            if (!Varint.TryRead(body, ref position, out var total) || total > long.MaxValue)
            {
                throw new CheckpointFormatException($"{name}: entry {i} has a bad total");
            }

            visitor?.Invoke(key, (long)total);
        }

        if (position != body.Length)
        {
            throw new CheckpointFormatException($"{name} has {body.Length - position} bytes after its last entry");
        }
    }

    private static byte[] EncodeMetadata(CheckpointFileHeader header)
    {
        var run = header.Position is { } p ? Encoding.UTF8.GetBytes(p.Run) : [];
        var buffer = new byte[PreambleLength + (6 * Varint.MaxLength) + run.Length];
        Magic.CopyTo(buffer);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(4), FormatVersion);
        buffer[6] = (byte)header.Kind;
        buffer[7] = header.Position is null ? (byte)0 : HasPositionFlag;
        var span = buffer.AsSpan();
        var n = PreambleLength;
        n += Varint.Write(span[n..], checked((ulong)header.Batch));
        n += Varint.Write(span[n..], checked((ulong)header.EntryCount));
        n += Varint.Write(span[n..], checked((ulong)header.Counters.Posts));
        n += Varint.Write(span[n..], checked((ulong)header.Counters.Tags));
        n += Varint.Write(span[n..], checked((ulong)header.Counters.Malformed));
        if (header.Position is { } position)
        {
            n += Varint.Write(span[n..], (ulong)run.Length);
            run.CopyTo(span[n..]);
            n += run.Length;

            // Zig-zag, so that an offset is never refused for its sign (see the protobuf encoding guide).
            n += Varint.Write(span[n..], (ulong)((position.Offset << 1) ^ (position.Offset >> 63)));
        }

        return buffer[..n];
    }

    private static CheckpointFileHeader DecodeMetadata(ReadOnlySpan<byte> body, ref int position, string name)
    {
        var kind = (CheckpointFileKind)body[6];
        var flags = body[7];
        if (kind is not (CheckpointFileKind.Delta or CheckpointFileKind.Snapshot) || (flags & ~HasPositionFlag) != 0)
        {
            throw new CheckpointFormatException($"{name} has an unknown kind or flags");
        }

        Span<long> values = stackalloc long[5];
        for (var i = 0; i < values.Length; i++)
        {
            if (!Varint.TryRead(body, ref position, out var value) || value > long.MaxValue)
            {
                throw new CheckpointFormatException($"{name} has a damaged header");
            }

            values[i] = (long)value;
        }

        SourcePosition? source = null;
        if ((flags & HasPositionFlag) != 0)
        {
            if (!Varint.TryRead(body, ref position, out var runLength) || runLength > (ulong)(body.Length - position))
            {
                throw new CheckpointFormatException($"{name} has a damaged source position");
            }

            string run;
            try
            {
                run = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.Slice(position, (int)runLength));
            }
            catch (DecoderFallbackException)
            {
                throw new CheckpointFormatException($"{name} has a source run that is not UTF-8");
            }

            position += (int)runLength;
            if (!Varint.TryRead(body, ref position, out var zigzag))
            {
                throw new CheckpointFormatException($"{name} has a damaged source offset");
            }

            source = new SourcePosition(run, (long)(zigzag >> 1) ^ -(long)(zigzag & 1));
        }

        return new CheckpointFileHeader(kind, values[0], values[1], source, new CheckpointCounters(values[2], values[3], values[4]));
    }
}
