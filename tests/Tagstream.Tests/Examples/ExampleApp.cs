using Tagstream.Tests.Cli;
using Xunit;

namespace Tagstream.Tests.Examples;

/// <summary>Runs a file of <c>examples/</c> with <c>dotnet run FILE.cs</c>, as a user would.</summary>
internal static class ExampleApp
{
    /// <summary>Compiling a file-based app (restore, build of the library reference) takes a while on a busy machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Starts the example in a new temporary working folder (where e.g. the summarizer's checkpoint goes).</summary>
    public static CliProcess Start(string file, IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments) =>
        CliProcess.StartDotnet(["run", Path.Combine(RepositoryRoot, "examples", file), "--", .. arguments], null, environment);

    /// <summary>Runs the example to its end and returns its standard output; fails with its output unless it exits 0.</summary>
    public static async Task<string> RunAsync(string file, IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments)
    {
        await using CliProcess app = Start(file, environment, arguments);
        int exitCode = await app.WaitForExitAsync(Timeout);
        Assert.True(exitCode == 0, $"{file} exited with {exitCode}.\nstdout:\n{app.Stdout}\nstderr:\n{app.Stderr}");
        return app.Stdout;
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Tagstream.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Tagstream.slnx above {AppContext.BaseDirectory}.");
    }
}
