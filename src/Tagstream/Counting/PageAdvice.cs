using System.Runtime.InteropServices;

namespace Tagstream.Counting;

/// <summary>
/// Hints to Linux about a table's pages; elsewhere, or if the kernel says no, nothing changes.
/// <list type="bullet">
/// <item><see cref="AdviseHugePages"/>: back a large table with 2 MiB pages (transparent huge pages in "madvise" mode,
/// the common default). Probes jump randomly over tens of MiB; with 4 KiB pages nearly every probe also misses the TLB
/// and pays a page walk.</item>
/// <item><see cref="Discard"/>: give back the pages of a table being re-placed into a larger one, as the re-placement
/// passes them, so that growing never holds both tables whole (madvise(2), MADV_DONTNEED).</item>
/// </list>
/// </summary>
internal static unsafe partial class PageAdvice
{
    /// <summary>The huge page size on x64 and arm64 Linux; tables at least this large are aligned to it.</summary>
    public const int HugePageSize = 2 * 1024 * 1024;

    private const int MadviseDontNeed = 4; // MADV_DONTNEED
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE

    public static void AdviseHugePages(void* address, nuint length)
    {
        if (OperatingSystem.IsLinux() && length >= HugePageSize)
        {
            _ = Madvise(address, length, MadviseHugePage);
        }
    }

    /// <summary>
    /// Drops the whole 4 KiB pages inside [<paramref name="address"/>, +<paramref name="length"/>): their contents are
    /// lost (they read as zeros if touched again). Only for memory that is about to be freed.
    /// </summary>
    public static void Discard(void* address, nuint length)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const nuint Page = 4096;
        var start = ((nuint)address + Page - 1) & ~(Page - 1);
        var end = ((nuint)address + length) & ~(Page - 1);
        if (end > start)
        {
            _ = Madvise((void*)start, end - start, MadviseDontNeed);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
