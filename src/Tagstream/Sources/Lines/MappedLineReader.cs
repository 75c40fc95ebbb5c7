using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace Tagstream.Sources.Lines;

/// <summary>
/// Hands out whole protocol lines straight from a regular file mapped into memory, a window at a time: no read
/// calls, no copy into buffers and no reading thread. Chunks follow the same rules as <see cref="LineChunkReader"/>'s.
/// </summary>
/// <remarks>
/// <para>
/// Why: counting a file through a pipe costs a copy of every byte out of the page cache, and the thread that reads
/// ahead takes a core from one of the counting workers, which the other then waits for at every barrier. Measured on
/// the 2-core box (docs/performance.md), mapping made two workers about a fifth faster.
/// </para>
/// <para>
/// The window (<see cref="DefaultWindowBytes"/>) always reaches at least one chunk and one longest line past the
/// position, or the file's end, so every chunk is contiguous and a line is never split. Before mapping a window it
/// reads the file's length again: a file still being appended to is read on to its end, like a stream would be, and a
/// file found shorter than what was already read is an error. A file truncated while a window is mapped cannot be
/// caught (the process gets SIGBUS), which is why only files (never pipes or devices) are mapped and the docs say a
/// replay file must not be truncated while it is read.
/// </para>
/// </remarks>
internal sealed unsafe class MappedLineReader : ILineChunkReader, IAsyncDisposable
{
    /// <summary>The bytes mapped at once, unless the line limit needs more.</summary>
    public const int DefaultWindowBytes = 32 << 20;

    /// <summary>The longest line limit this reader takes: its window holds two chunks of a line each.</summary>
    public const int MaxLineLimit = 256 << 20;

    private readonly FileStream _file;
    private readonly int _maxLineBytes;
    private readonly long _start;
    private readonly int _chunkBytes;
    private readonly int _windowBytes;
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private UnmanagedMemory? _memory;
    private byte* _window;
    private long _windowStart;
    private int _windowLength;
    private long _length;
    private long _position;
    private bool _skippingLongLine;
    private bool _ended;

    /// <summary>Reads <paramref name="file"/> from its current position; the reader disposes it.</summary>
    /// <param name="file">A regular file opened for reading.</param>
    /// <param name="maxLineBytes">The longest line kept, in bytes without its <c>\n</c>.</param>
    /// <param name="chunkBytes">The largest chunk handed out (a longer line makes a longer chunk).</param>
    /// <param name="windowBytes">The bytes mapped at once, raised to two chunks when smaller.</param>
    /// <exception cref="IOException">The file cannot be mapped.</exception>
    public MappedLineReader(FileStream file, int maxLineBytes = LineChunkReader.DefaultMaxLineBytes, int chunkBytes = ReadAheadPipe.SegmentBytes, int windowBytes = DefaultWindowBytes)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLineBytes, MaxLineLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        _file = file;
        _maxLineBytes = maxLineBytes;
        _chunkBytes = Math.Max(chunkBytes, maxLineBytes + 1);
        _windowBytes = (int)Math.Min(Math.Max(windowBytes, 2L * _chunkBytes), Array.MaxLength);
        _start = _position = _windowStart = file.Position;
        Map();
    }

    /// <inheritdoc />
    public long Consumed => _position - _start;

    /// <inheritdoc />
    public ValueTask<LineChunk> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read());
    }

    /// <summary>Unmaps the window and closes the file; the last chunk is invalid afterwards.</summary>
    public ValueTask DisposeAsync()
    {
        Unmap();
        _file.Dispose();
        return ValueTask.CompletedTask;
    }

    private LineChunk Read()
    {
        if (_ended)
        {
            return new LineChunk(ReadOnlyMemory<byte>.Empty, 0, IsFinal: true);
        }

        long skipped = 0;
        var mappedToEnd = false;
        while (true)
        {
            var restLength = (int)(_windowStart + _windowLength - _position);
            var rest = new ReadOnlySpan<byte>(_window + (_position - _windowStart), restLength);
            if (restLength < _chunkBytes && _windowStart + _windowLength < _length)
            {
                // Too little left in the window for a chunk or a whole line: map the next one from the position.
                Map();
                continue;
            }

            if (_skippingLongLine)
            {
                var newline = rest.IndexOf((byte)'\n');
                _position += newline < 0 ? restLength : newline + 1;
                _skippingLongLine = newline < 0;
                if (!_skippingLongLine || _position < _length)
                {
                    continue;
                }
            }
            else
            {
                var whole = ProtocolLines.WholeLines(rest[..Math.Min(restLength, _chunkBytes)], _maxLineBytes);
                if (whole > 0)
                {
                    var chunk = _memory!.Memory.Slice((int)(_position - _windowStart), whole);
                    _position += whole;
                    return new LineChunk(chunk, skipped, IsFinal: false);
                }

                if (restLength > _maxLineBytes)
                {
                    // No '\n' within the limit: the line is too long. Drop it through its '\n', however far that is.
                    skipped++;
                    _skippingLongLine = true;
                    continue;
                }
            }

            // Only a partial line (or nothing) is left before the end of the file as last measured. Map once more in
            // case the file grew since; otherwise the input ends, and a last line without '\n' is still a post.
            if (!mappedToEnd)
            {
                mappedToEnd = true;
                Map();
                continue;
            }

            ReadOnlyMemory<byte> last = _skippingLongLine || restLength == 0
                ? ReadOnlyMemory<byte>.Empty
                : _memory!.Memory.Slice((int)(_position - _windowStart), restLength);
            _position += last.Length;
            _skippingLongLine = false;
            _ended = true;
            Debug.Assert(_position == _windowStart + _windowLength, "The final chunk ends the window.");
            return new LineChunk(last, skipped, IsFinal: true);
        }
    }

    /// <summary>Maps the window that starts at the position, as long as the file's current length allows.</summary>
    private void Map()
    {
        var length = RandomAccess.GetLength(_file.SafeFileHandle);
        if (length < _position)
        {
            throw new IOException($"The replay file '{_file.Name}' shrank to {length} bytes while it was read, below the {_position} bytes already read; a replay file must not be truncated or rewritten during a replay.");
        }

        Unmap();
        _length = length;
        _windowStart = _position;
        _windowLength = (int)Math.Min(_windowBytes, length - _position);
        if (_windowLength == 0)
        {
            return;
        }

        try
        {
            _map = MemoryMappedFile.CreateFromFile(_file, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            _view = _map.CreateViewAccessor(_windowStart, _windowLength, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _window = pointer + _view.PointerOffset;
            _memory = new UnmanagedMemory(_window, _windowLength);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Unmap();
            throw new IOException($"Cannot map the replay file '{_file.Name}': {e.Message}", e);
        }
    }

    private void Unmap()
    {
        if (_view is not null)
        {
            if (_window is not null)
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
            }

            _view.Dispose();
            _view = null;
        }

        _map?.Dispose();
        _map = null;
        _memory = null;
        _window = null;
        _windowLength = 0;
    }
}
