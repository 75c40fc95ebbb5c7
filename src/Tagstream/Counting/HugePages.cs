using System.Runtime.InteropServices;

namespace Tagstream.Counting;

/// <summary>
/// Asks Linux to back a large table with 2 MiB pages (transparent huge pages in "madvise" mode, the common default).
/// Probes jump randomly over tens of MiB; with 4 KiB pages nearly every probe also misses the TLB and pays a page
/// walk. Elsewhere, or if the kernel says no, nothing changes: it is only a hint.
/// </summary>
internal static unsafe partial class HugePages
{
    /// <summary>The huge page size on x64 and arm64 Linux; tables at least this large are aligned to it.</summary>
    public const int Size = 2 * 1024 * 1024;

    private const int MadviseHugePage = 14; // MADV_HUGEPAGE

    public static void Advise(void* address, nuint length)
    {
        if (OperatingSystem.IsLinux() && length >= Size)
        {
            _ = Madvise(address, length, MadviseHugePage);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
