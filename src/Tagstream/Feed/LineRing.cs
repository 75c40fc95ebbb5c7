using System.Diagnostics;

namespace Tagstream.Feed;

/// <summary>
/// The feed's most recent protocol lines, numbered from 0 for the run: what its clients read from and what a
/// counter that reconnects resumes from.
/// </summary>
/// <remarks>
/// Not thread-safe: the feed server guards it with its lock. Bytes are addressed by their absolute offset in the
/// run; only the last <see cref="Capacity"/> bytes are kept. Every append starts at a line boundary and its first
/// line number is remembered, so a line number can be turned back into a byte offset by scanning at most one chunk.
/// A feed that continues a logged run starts its ring at the log's end: the lines before it are in the log only.
/// </remarks>
internal sealed class LineRing
{
    private readonly byte[] _buffer;
    private readonly Queue<(long Line, long Offset)> _chunkStarts = new();
    private readonly long _firstOffset;

    /// <param name="capacity">The bytes kept.</param>
    /// <param name="firstLine">The number of the first line appended (0 for a new run).</param>
    /// <param name="firstOffset">The run offset of the first byte appended (0 for a new run).</param>
    public LineRing(int capacity, long firstLine = 0, long firstOffset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1024);
        _buffer = new byte[capacity];
        Lines = firstLine;
        Written = firstOffset;
        _firstOffset = firstOffset;
    }

    public int Capacity => _buffer.Length;

    /// <summary>Bytes appended since the start of the run.</summary>
    public long Written { get; private set; }

    /// <summary>Lines appended since the start of the run: the number of the next line.</summary>
    public long Lines { get; private set; }

    /// <summary>The offset of the oldest byte still held.</summary>
    public long OldestOffset => Math.Max(_firstOffset, Written - Capacity);

    /// <summary>The number of the oldest line that can still be read whole.</summary>
    public long OldestLine => _chunkStarts.TryPeek(out var start) ? start.Line : Lines;

    /// <summary>Appends whole lines; the caller has made sure no reader still needs the bytes this overwrites.</summary>
    public void Append(ReadOnlySpan<byte> lines, long lineCount)
    {
        Debug.Assert(lines.Length <= Capacity, "A chunk fits in the ring.");
        Debug.Assert(lines.IsEmpty || lines[^1] == (byte)'\n', "The ring holds whole lines.");
        _chunkStarts.Enqueue((Lines, Written));
        int start = (int)(Written % Capacity);
        int first = Math.Min(lines.Length, Capacity - start);
        lines[..first].CopyTo(_buffer.AsSpan(start));
        lines[first..].CopyTo(_buffer);
        Written += lines.Length;
        Lines += lineCount;
        while (_chunkStarts.TryPeek(out var oldest) && oldest.Offset < OldestOffset)
        {
            _chunkStarts.Dequeue();
        }
    }

    /// <summary>The contiguous bytes from <paramref name="offset"/> up to the end of data or the end of the array.</summary>
    public ReadOnlyMemory<byte> Read(long offset, int maxBytes)
    {
        Debug.Assert(offset >= OldestOffset && offset <= Written, "Only held bytes are read.");
        int start = (int)(offset % Capacity);
        int length = (int)Math.Min(Math.Min(Written - offset, Capacity - start), maxBytes);
        return _buffer.AsMemory(start, length);
    }

    /// <summary>Finds the byte offset where line <paramref name="line"/> starts, if it is still held.</summary>
    public bool TryFindLine(long line, out long offset)
    {
        offset = Written;
        if (line == Lines)
        {
            return true;
        }

        if (line < OldestLine || line > Lines)
        {
            return false;
        }

        (long Line, long Offset) chunk = default;
        foreach (var start in _chunkStarts)
        {
            if (start.Line > line)
            {
                break;
            }

            chunk = start;
        }

        offset = chunk.Offset;
        for (long skip = line - chunk.Line; skip > 0; skip--)
        {
            ReadOnlySpan<byte> bytes = Read(offset, int.MaxValue).Span;
            int newline = bytes.IndexOf((byte)'\n');
            while (newline < 0)
            {
                offset += bytes.Length;
                bytes = Read(offset, int.MaxValue).Span;
                newline = bytes.IndexOf((byte)'\n');
            }

            offset += newline + 1;
        }

        return true;
    }
}
