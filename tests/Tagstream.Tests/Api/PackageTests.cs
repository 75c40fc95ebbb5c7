using System.IO.Compression;
using Tagstream.Streaming;
using Tagstream.Tests.Cli;
using Tagstream.Tests.Examples;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Api;

/// <summary>
/// The two packages as a user gets them: packed into a temporary folder (from the Debug build the tests already
/// made, so no second compilation), the tool installed from that folder into a temporary tool path and run.
/// </summary>
public sealed class PackageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Pack_Library_HoldsTheAssemblyItsDocsAndTheReadme()
    {
        using var packages = new TempDirectory();

        await DotnetAsync("pack", Project("Tagstream"), "-c", Configuration, "--no-build", "-o", packages.Path);

        string package = Assert.Single(Directory.GetFiles(packages.Path, "Tagstream.*.nupkg"));
        using ZipArchive zip = ZipFile.OpenRead(package);
        string[] entries = [.. zip.Entries.Select(e => e.FullName)];
        Assert.Contains("lib/net10.0/Tagstream.dll", entries);
        Assert.Contains("lib/net10.0/Tagstream.xml", entries);
        Assert.Contains("README.md", entries);
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        string manifest = await nuspec.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<readme>README.md</readme>", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("PublicApiAnalyzers", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_Tool_InstallsIntoAToolPathAndPrintsItsVersion()
    {
        using var packages = new TempDirectory();
        using var tools = new TempDirectory();
        await DotnetAsync("pack", Project("Tagstream.Cli"), "-c", Configuration, "--no-build", "-o", packages.Path);
        Assert.Single(Directory.GetFiles(packages.Path, "Tagstream.Tool.*.nupkg"));

        // The local folder first; the machine's configured feeds may be unreachable (no internet in CI).
        await DotnetAsync("tool", "install", "--tool-path", tools.Path, "--add-source", packages.Path, "--ignore-failed-sources", "Tagstream.Tool");

        await using CliProcess version = CliProcess.StartProgram(Path.Combine(tools.Path, "tagstream"), ["--version"]);
        Assert.Equal(0, await version.WaitForExitAsync(Timeout));
        string expected = typeof(Tagstream.Streaming.HashtagJob).Assembly.GetName().Version!.ToString(3);
        Assert.StartsWith(expected, version.Stdout, StringComparison.Ordinal);

        await using CliProcess help = CliProcess.StartProgram(Path.Combine(tools.Path, "tagstream"), ["--help"]);
        Assert.Equal(0, await help.WaitForExitAsync(Timeout));
        Assert.Contains("  tagstream COMMAND [options]", help.Stdout, StringComparison.Ordinal);
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string Project(string name) => Path.Combine(ExampleApp.RepositoryRoot, "src", name, name + ".csproj");

    private static async Task DotnetAsync(params string[] arguments)
    {
        await using CliProcess dotnet = CliProcess.StartDotnet(arguments);
        int exitCode = await dotnet.WaitForExitAsync(Timeout);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {exitCode}.\n{dotnet.Stdout}\n{dotnet.Stderr}");
    }
}
