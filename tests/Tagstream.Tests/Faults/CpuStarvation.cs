using System.Diagnostics;

namespace Tagstream.Tests.Faults;

/// <summary>
/// Keeps every core busy while a test runs: <c>stress-ng --cpu</c> (Debian's, installed by .ci/run) at twice the
/// cores, or, where it is missing, as many spinning threads in this process (said in <see cref="Description"/>).
/// </summary>
internal sealed class CpuStarvation : IDisposable
{
    private readonly Process? _stress;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = [];

    private CpuStarvation(Process? stress, string description)
    {
        _stress = stress;
        Description = description;
    }

    public string Description { get; }

    public static CpuStarvation Start()
    {
        int workers = 2 * Environment.ProcessorCount;
        try
        {
            var start = new ProcessStartInfo("stress-ng") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in new[] { "--cpu", $"{workers}", "--timeout", "600s", "--quiet" })
            {
                start.ArgumentList.Add(argument);
            }

            return new CpuStarvation(Process.Start(start), $"stress-ng --cpu {workers}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            var starvation = new CpuStarvation(null, $"{workers} spinning threads (stress-ng is not installed)");
            for (int i = 0; i < workers; i++)
            {
                var thread = new Thread(() => Spin(starvation._stop.Token)) { IsBackground = true };
                thread.Start();
                starvation._threads.Add(thread);
            }

            return starvation;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_stress is { HasExited: false })
        {
            _stress.Kill(entireProcessTree: true);
            _stress.WaitForExit();
        }

        _stress?.Dispose();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _stop.Dispose();
    }

    private static void Spin(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Thread.SpinWait(1000);
        }
    }
}
