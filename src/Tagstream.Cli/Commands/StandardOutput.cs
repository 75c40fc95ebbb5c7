using Microsoft.Win32.SafeHandles;

namespace Tagstream.Cli.Commands;

/// <summary>
/// Standard output as a stream that reports a closed pipe: <c>tagstream gen | head -1</c> must stop as soon as
/// <c>head</c> goes away.
/// </summary>
/// <remarks>
/// The runtime ignores SIGPIPE, and <see cref="Console.OpenStandardOutput()"/> on Unix swallows the EPIPE error too,
/// so a program writing there never learns that its reader has gone and writes on into nothing.
/// </remarks>
internal static class StandardOutput
{
    // EPIPE on Linux and macOS: the runtime puts the errno into the HResult of the IOException it throws.
    private const int BrokenPipe = 32;

    /// <summary>Standard output, unbuffered; writes throw <see cref="IOException"/> once the reader has gone.</summary>
    public static Stream Open() => OperatingSystem.IsWindows()
        ? Console.OpenStandardOutput()
        : new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);

    /// <summary>True when <paramref name="exception"/> says the reader of a pipe has gone.</summary>
    public static bool IsClosedPipe(Exception exception) => exception is IOException { HResult: BrokenPipe };
}
