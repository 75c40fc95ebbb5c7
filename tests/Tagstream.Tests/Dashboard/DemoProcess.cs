using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Tagstream.Tests.Dashboard;

/// <summary>
/// A real <c>tagstream demo</c> process (seeded synthetic feed, loopback socket, counter, dashboard) started from the
/// test's output folder; its dashboard address is read from the line it prints at start.
/// </summary>
internal sealed class DemoProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DemoProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<DemoProcess> StartAsync(int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in (string[])[
            Path.Combine(AppContext.BaseDirectory, "Tagstream.Cli.dll"), "demo",
            "--seed", "7", "--rate", "3000", "--interval", "1s",
            "--dashboard-url", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
            "football", "worldcup", "dotnet"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        // Standard output carries the text chart of every batch: drain it so the demo never blocks on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("Dashboard: ", StringComparison.Ordinal))
            {
                _ = DrainAsync(process.StandardError);
                return new DemoProcess(process, new Uri(line["Dashboard: ".Length..]));
            }
        }

        Assert.Fail($"tagstream demo exited ({process.ExitCode}) without printing its dashboard address.");
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync(CancellationToken.None) is not null)
        {
        }
    }
}
