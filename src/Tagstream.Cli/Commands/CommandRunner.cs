using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tagstream.Sources.Live.Transport;
using Tagstream.State;

namespace Tagstream.Cli.Commands;

/// <summary>
/// Runs a command's body with Ctrl+C and SIGTERM turned into cancellation, and every failure turned into one line on
/// standard error: users never see a stack trace (set TAGSTREAM_DEBUG=1 to get one).
/// </summary>
internal static class CommandRunner
{
    /// <summary>Exit code for a failure while running.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for invalid options or arguments.</summary>
    public const int Usage = 2;

    public static async Task<int> RunAsync(string command, Func<CancellationToken, Task<int>> body)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await body(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (UsageException e)
        {
            return Fail(command, e.Message, Usage);
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or CheckpointException or LiveSourceException)
        {
            return Fail(command, e.Message, Failure, e);
        }
        catch (Exception e)
        {
            // A bug, not a user error: still one line, with the details one variable away.
            return Fail(command, $"unexpected {e.GetType().Name}: {e.Message} (set TAGSTREAM_DEBUG=1 for details)", Failure, e);
        }

        void Stop(PosixSignalContext context)
        {
            // Keep the process alive: the command stops reading, flushes and exits 0 on its own.
            context.Cancel = true;
            stop.Cancel();
        }
    }

    public static int Fail(string command, string message, int exitCode, Exception? exception = null)
    {
        Console.Error.WriteLine($"tagstream {command}: {message}");
        if (exception is not null && Environment.GetEnvironmentVariable("TAGSTREAM_DEBUG") == "1")
        {
            Console.Error.WriteLine(exception);
        }

        return exitCode;
    }
}
