using System.Diagnostics;

namespace Tagstream.Tests.Bench;

/// <summary>
/// CI's smoke run of <c>bench/compare.sh</c> on a small file: every tool (sort | uniq -c, mawk, Python's Counter,
/// the naive C# program, DuckDB, and Tagstream over a file, with 1 and 2 workers and through the feed over TCP) must
/// print the same top 20 as Tagstream, and on the smaller second file Tagstream and DuckDB must agree. One run per
/// tool: agreement does not need medians. No timing is asserted: timings belong to the script's table, not to a test.
/// </summary>
public sealed class CompareScriptTests
{
    [Fact]
    public async Task CompareScript_SmallStandardFile_EveryToolAgreesWithTagstream()
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot(),
        };
        start.ArgumentList.Add("bench/compare.sh");
        start.ArgumentList.Add("5M");
        // The in-process harness adds a BenchmarkDotNet build and says nothing about agreement.
        start.Environment["HARNESS"] = "0";
        start.Environment["RUNS"] = "1";
        start.Environment["MID_SIZE"] = "2M";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("every top 20 agreed with Tagstream's (20 hashtags, same totals, same order)", output, StringComparison.Ordinal);
        string[] tools =
        [
            "tagstream", "tagstream-workers-1", "tagstream-workers-2", "tagstream-feed-tcp", "naive-csharp", "duckdb", "python-counter", "mawk",
            "sort-uniq", "tagstream-2M", "duckdb-2M",
        ];
        var table = output[output.LastIndexOf("tool ", StringComparison.Ordinal)..].Split('\n');
        foreach (var tool in tools)
        {
            Assert.Contains(table, row => row.StartsWith(tool + " ", StringComparison.Ordinal));
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tagstream.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Tagstream.slnx above {AppContext.BaseDirectory}.");
    }
}
