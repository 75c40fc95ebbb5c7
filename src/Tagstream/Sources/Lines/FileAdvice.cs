using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tagstream.Sources.Lines;

/// <summary>
/// Hints to Linux about how a file will be read; elsewhere, or if the kernel says no, nothing changes (a hint never
/// changes what is read, only when the disk is asked for it).
/// </summary>
internal static partial class FileAdvice
{
    private const int WillNeedAdvice = 3; // POSIX_FADV_WILLNEED

    /// <summary>
    /// The bytes asked for per call. Linux reads at most the larger of the device's read-ahead and its largest request
    /// per call and drops the rest (8 MiB and 4 MiB on the development machine, as little as 128 KiB on others), so a
    /// long range is asked for piece by piece.
    /// </summary>
    private const long PieceBytes = 2 << 20;

    /// <summary>
    /// Asks the kernel to start reading [<paramref name="offset"/>, +<paramref name="length"/>) of the file into the
    /// page cache now, without waiting for it (posix_fadvise(2), POSIX_FADV_WILLNEED): the pages are then there when
    /// they are first touched instead of each fault waiting for the disk. Costs a look-up per page for pages already
    /// cached.
    /// </summary>
    public static void WillNeed(SafeFileHandle file, long offset, long length)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        for (var end = offset + length; offset < end; offset += PieceBytes)
        {
            _ = PosixFadvise(file, offset, Math.Min(PieceBytes, end - offset), WillNeedAdvice);
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(SafeFileHandle file, long offset, long length, int advice);
}
