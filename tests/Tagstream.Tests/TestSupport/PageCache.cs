using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tagstream.Tests.TestSupport;

/// <summary>
/// What of a file is in Linux's page cache, and dropping a file's clean pages from it: how a test makes a file
/// "cold" without dropping the whole machine's cache (which needs root and slows everyone else down).
/// </summary>
internal static unsafe partial class PageCache
{
    private const int PageBytes = 4096;
    private const int DontNeedAdvice = 4; // POSIX_FADV_DONTNEED

    /// <summary>Writes the file's dirty pages to disk and drops all its pages from the page cache.</summary>
    public static void Evict(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        file.Flush(flushToDisk: true);
        int error = PosixFadvise(file.SafeFileHandle, 0, 0, DontNeedAdvice);
        if (error != 0)
        {
            throw new IOException($"posix_fadvise(POSIX_FADV_DONTNEED) failed with errno {error}.");
        }
    }

    /// <summary>
    /// How many of the pages of [<paramref name="offset"/>, +<paramref name="length"/>) (multiples of 4 KiB) are in
    /// the page cache; looking (mincore(2) on a mapping nobody touches) reads nothing in.
    /// </summary>
    public static int ResidentPages(string path, long offset, int length)
    {
        using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(offset, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            // The view starts at the page that holds the offset; PointerOffset says how far into it the offset is.
            byte* start = pointer + view.PointerOffset;
            if ((nuint)start % PageBytes != 0 || length % PageBytes != 0)
            {
                throw new ArgumentException("The range must start and end on 4 KiB page boundaries.");
            }

            var resident = new byte[length / PageBytes];
            fixed (byte* vector = resident)
            {
                if (Mincore(start, (nuint)length, vector) != 0)
                {
                    throw new IOException($"mincore failed with errno {Marshal.GetLastPInvokeError()}.");
                }
            }

            return resident.Count(page => (page & 1) != 0);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(SafeFileHandle file, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static partial int Mincore(void* address, nuint length, byte* vector);
}
