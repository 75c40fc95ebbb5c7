using Microsoft.Win32.SafeHandles;

namespace Tagstream.Feed;

/// <summary>
/// Reads a segment file through one buffer of at least a MiB, so that walking many small records (a live source logs
/// one post per record) costs one read per MiB instead of a few reads per record.
/// </summary>
internal sealed class FeedLogFileWindow : IDisposable
{
    private const int MinimumBytes = 1 << 20;

    private byte[] _buffer = new byte[MinimumBytes];
    private long _start;
    private int _length;

    public FeedLogFileWindow(SafeFileHandle file, long fileEnd)
    {
        File = file;
        FileEnd = fileEnd;
    }

    public SafeFileHandle File { get; }

    /// <summary>The end of the bytes that may be read (it grows as the segment being written grows).</summary>
    public long FileEnd { get; set; }

    /// <summary>The buffer that <see cref="TryGet"/>'s index points into; valid until the next call.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>
    /// Makes <paramref name="length"/> bytes from <paramref name="position"/> available at <see cref="Buffer"/>[index];
    /// false when the file ends before them.
    /// </summary>
    public bool TryGet(long position, int length, out int index)
    {
        index = 0;
        if (length < 0 || position < 0 || position + length > FileEnd)
        {
            return false;
        }

        if (position < _start || position + length > _start + _length)
        {
            if (length > _buffer.Length)
            {
                _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
            }

            int want = (int)Math.Min(_buffer.Length, FileEnd - position);
            int read = 0;
            while (read < want)
            {
                int n = RandomAccess.Read(File, _buffer.AsSpan(read, want - read), position + read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            _start = position;
            _length = read;
            if (read < length)
            {
                return false;
            }
        }

        index = (int)(position - _start);
        return true;
    }

    public void Dispose() => File.Dispose();
}
