using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tagstream.CrashHarness;
using Tagstream.State;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.State;

/// <summary>
/// kill -9 of a real process that commits checkpoints (tests/Tagstream.CrashHarness) at random moments: mid-encode,
/// mid-write, mid-fsync, mid-rename or mid-compaction. Recovery must give exactly the totals of a committed batch at least
/// as new as the last one the process reported durable, and the run finished after restarts must end exact.
/// </summary>
public sealed class CheckpointCrashTests
{
    private const long LastBatch = 60;

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Harness_KilledAtRandomMoments_RecoversExactTotals(int seed)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var random = new Random(seed);
        using var folder = new TempDirectory();
        long durable = 0;
        for (var kill = 0; kill < 5; kill++)
        {
            using var harness = Start(folder.Path, seed);
            var reported = await RunUntilAsync(harness, committedLines: random.Next(0, 12), cancellationToken);
            if (harness.HasExited)
            {
                break;
            }

            await Task.Delay(random.Next(0, 25), cancellationToken);
            harness.Kill();
            await harness.WaitForExitAsync(cancellationToken);
            durable = Math.Max(durable, reported);

            using var store = CheckpointStore.Open(folder.Path, out var recovered);
            Assert.InRange(recovered.Batch, durable, LastBatch);
            Assert.Equal(new SourcePosition("crash-" + seed, recovered.Batch), recovered.Position ?? new SourcePosition("crash-" + seed, 0));
            AssertTotals(CrashWorkload.Totals(seed, recovered.Batch), recovered);
            durable = recovered.Batch;
        }

        using (var final = Start(folder.Path, seed))
        {
            await RunUntilAsync(final, int.MaxValue, cancellationToken);
            await final.WaitForExitAsync(cancellationToken);
            Assert.Equal(0, final.ExitCode);
        }

        using var finished = CheckpointStore.Open(folder.Path, out var end);
        Assert.Equal(LastBatch, end.Batch);
        Assert.Empty(end.Messages);
        AssertTotals(CrashWorkload.Totals(seed, LastBatch), end);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 8)];

    private static Process Start(string directory, int seed)
    {
        var harness = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Tagstream.CrashHarness.exe" : "Tagstream.CrashHarness");
        var info = new ProcessStartInfo(harness)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(directory);
        info.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(LastBatch.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Reads the harness's output until it has reported <paramref name="committedLines"/> commits or ended; returns the last batch reported durable.</summary>
    private static async Task<long> RunUntilAsync(Process harness, int committedLines, CancellationToken cancellationToken)
    {
        long last = 0;
        var seen = 0;
        while (seen < committedLines && await harness.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("committed ", StringComparison.Ordinal))
            {
                last = long.Parse(line.AsSpan("committed ".Length), CultureInfo.InvariantCulture);
                seen++;
            }
        }

        return last;
    }

    private static void AssertTotals(Dictionary<string, long> expected, RecoveredCheckpoint recovered)
    {
        var actual = recovered.Totals.ToDictionary(p => Encoding.UTF8.GetString(p.Key), p => p.Value, StringComparer.Ordinal);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (tag, total) in expected)
        {
            Assert.Equal(total, actual[tag]);
        }
    }
}
