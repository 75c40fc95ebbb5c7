using Tagstream.Tests.Examples;
using Xunit;

namespace Tagstream.Tests.Architecture;

/// <summary>
/// The folders of the engine import one another only as docs/ARCHITECTURE.md allows, so data flows one way and no
/// folder imports one that imports it back.
/// </summary>
public sealed class FolderImportTests
{
    private static readonly string LibraryRoot = Path.Combine(ExampleApp.RepositoryRoot, "src", "Tagstream");

    private static ArchitectureRules Rules =>
        ArchitectureRules.Parse(File.ReadAllText(Path.Combine(ExampleApp.RepositoryRoot, "docs", "ARCHITECTURE.md")));

    [Fact]
    public void Library_ImportsOnlyWhatTheArchitecturePageAllows()
    {
        var rules = Rules;
        var forbidden = FolderGraph.Load(LibraryRoot).Imports
            .Where(i => rules.Folders.Contains(i.From) && !rules.AllowedFrom(i.From).Contains(i.To))
            .Select(i => i.ToString())
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(forbidden);
    }

    [Fact]
    public void Library_EveryFolderHasARule()
    {
        var folders = Directory.EnumerateFiles(LibraryRoot, "*.cs", SearchOption.AllDirectories)
            .Select(f => FolderGraph.FolderOf(Path.GetRelativePath(LibraryRoot, f).Replace('\\', '/')))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);

        Assert.Empty(folders.Except(Rules.Folders, StringComparer.Ordinal));
    }

    [Fact]
    public void Rules_AllowNoCycle()
    {
        var rules = Rules;
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path; true: done
        string? cycle = null;

        bool Visit(string folder, string path)
        {
            if (state.TryGetValue(folder, out var done))
            {
                cycle ??= done ? null : path;
                return !done;
            }

            state[folder] = false;
            foreach (var target in rules.AllowedFrom(folder).Where(rules.Folders.Contains))
            {
                if (Visit(target, $"{path} -> {target}"))
                {
                    return true;
                }
            }

            state[folder] = true;
            return false;
        }

        foreach (var folder in rules.Folders)
        {
            Visit(folder, folder);
        }

        Assert.Null(cycle);
    }

    [Fact]
    public void Load_TypeReachedThroughParentNamespace_IsAnImport()
    {
        // Sources/Lines can name a Sources type without a using (its namespace is a child): still an import.
        var graph = FolderGraph.FromSources(
        [
            ("Sources/", "Sources/PostChunk.cs", "namespace Tagstream.Sources;\npublic sealed class PostChunk { }"),
            ("Sources/Lines/", "Sources/Lines/Reader.cs",
                "namespace Tagstream.Sources.Lines;\n// PostSource in a comment is no import\n" +
                "internal sealed class Reader { PostChunk? _last; string _s = \"PostSource\"; }"),
            ("Sources/", "Sources/PostSource.cs", "namespace Tagstream.Sources;\npublic abstract class PostSource { }"),
        ]);

        var import = Assert.Single(graph.Imports);
        Assert.Equal(new FolderImport("Sources/Lines/", "Sources/", "PostChunk", "Sources/Lines/Reader.cs"), import);
    }

    [Fact]
    public void Parse_TableOfThePage_ReadsEachRow()
    {
        var rules = ArchitectureRules.Parse(
            "# A\n## What each folder may import\n\n| folder | may import |\n|---|---|\n| `./` | nothing |\n" +
            "| `Sources/` | `./`, `Sources/Lines/` |\n\n## Next\n| `Feed/` | `./` |\n");

        Assert.Equal(["./", "Sources/"], rules.Folders.Order(StringComparer.Ordinal));
        Assert.Empty(rules.AllowedFrom("./"));
        Assert.Equal(["./", "Sources/Lines/"], rules.AllowedFrom("Sources/").Order(StringComparer.Ordinal));
    }
}
