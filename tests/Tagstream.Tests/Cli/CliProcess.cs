using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Xunit;

namespace Tagstream.Tests.Cli;

/// <summary>The real <c>tagstream</c> program run as a child process, its output collected line by line.</summary>
internal sealed partial class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdoutLines = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderrLines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Collect(e.Data, _stdout, _stdoutLines);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, _stderr, _stderrLines);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static CliProcess Start(params string[] arguments) => StartWith(new Dictionary<string, string?>(), arguments);

    /// <summary>Starts the program with environment variables set (or removed, when null): credentials, for example.</summary>
    public static CliProcess StartWith(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        StartProgram("dotnet", [Path.Combine(AppContext.BaseDirectory, "Tagstream.Cli.dll"), .. arguments], null, environment);

    /// <summary>Starts the program at a lower scheduling priority (<c>nice -n</c>), as a starved counter would run.</summary>
    public static CliProcess StartNiced(int niceness, params string[] arguments) =>
        StartProgram("nice", ["-n", niceness.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", Path.Combine(AppContext.BaseDirectory, "Tagstream.Cli.dll"), .. arguments]);

    /// <summary>Runs <c>dotnet</c> with any arguments (e.g. <c>run example.cs</c>), in a folder and with extra environment variables.</summary>
    public static CliProcess StartDotnet(IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        StartProgram("dotnet", arguments, workingDirectory, environment);

    /// <summary>Runs any program, e.g. an installed tool's command; in a new temporary folder unless one is given.</summary>
    public static CliProcess StartProgram(string program, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,

            // Each process works in a folder of its own, so the counter's default checkpoint folder is never shared.
            WorkingDirectory = workingDirectory ?? Directory.CreateTempSubdirectory("tagstream-cli-").FullName,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new CliProcess(Process.Start(start)!);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public StreamWriter Stdin => _process.StandardInput;

    /// <summary>Waits for a line of standard output that matches, and returns the match.</summary>
    public Task<Match> WaitForStdoutAsync(string pattern, TimeSpan? timeout = null) => WaitForAsync(_stdoutLines, pattern, timeout);

    /// <summary>Waits for a line of standard error that matches, and returns the match.</summary>
    public Task<Match> WaitForStderrAsync(string pattern, TimeSpan? timeout = null) => WaitForAsync(_stderrLines, pattern, timeout);

    /// <summary>The port a feed started with <c>--port 0</c> listens on.</summary>
    public async Task<int> FeedPortAsync() => int.Parse((await WaitForStdoutAsync(@"^Waiting for connection on 127\.0\.0\.1:(\d+)$")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The process did not exit in time.\nstdout:\n{Tail(Stdout)}\nstderr:\n{Tail(Stderr)}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager stopping the program would.</summary>
    public void Terminate() => Signal(15);

    /// <summary>Sends SIGKILL: the program dies at once, with no chance to clean up.</summary>
    public void KillHard() => Signal(9);

    /// <summary>Stops the process (SIGSTOP) until <see cref="Continue"/>: a paused process, its sockets still open.</summary>
    public void Pause() => Signal(19);

    /// <summary>Lets a paused process run again (SIGCONT).</summary>
    public void Continue() => Signal(18);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        string folder = _process.StartInfo.WorkingDirectory;
        _process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a child process; the temporary folder is cleaned up by the system later.
        }
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, signal);
        }
    }

    private void Collect(string? line, StringBuilder all, Channel<string> lines)
    {
        if (line is null)
        {
            lines.Writer.TryComplete();
            return;
        }

        lock (_gate)
        {
            all.Append(line).Append('\n');
        }

        lines.Writer.TryWrite(line);
    }

    private async Task<Match> WaitForAsync(Channel<string> lines, string pattern, TimeSpan? timeout)
    {
        var regex = new Regex(pattern);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await foreach (string line in lines.Reader.ReadAllAsync(limit.Token))
            {
                Match match = regex.Match(line);
                if (match.Success)
                {
                    return match;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Fail($"No line matched /{pattern}/.\nstdout:\n{Tail(Stdout)}\nstderr:\n{Tail(Stderr)}");
        throw new UnreachableException();
    }

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
