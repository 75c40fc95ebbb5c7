using System.Diagnostics;

namespace Tagstream.Tests.Faults;

/// <summary>A small tmpfs mounted for one test (root only): a disk that fills up, or that is turned read-only.</summary>
internal sealed class SmallDisk : IDisposable
{
    private static readonly Lazy<bool> s_canMount = new(Probe);

    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    /// <summary>True when this process may mount a tmpfs (CI runs as root); found by mounting one.</summary>
    public static bool CanMount() => s_canMount.Value;

    public static SmallDisk Mount(string size)
    {
        string path = Directory.CreateTempSubdirectory("tagstream-disk-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        return new SmallDisk(path);
    }

    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return false;
        }

        try
        {
            Mount("64k").Dispose();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
