namespace Tagstream.Tests.Architecture;

/// <summary>
/// Which folder of a library uses which: a file uses a folder when its code names a type declared there. Names are
/// read from the code itself rather than from <c>using</c> lines, so a type reached through a parent namespace, a
/// fully qualified name or a global using counts too.
/// </summary>
internal sealed class FolderGraph
{
    private FolderGraph(IReadOnlyList<FolderImport> imports) => Imports = imports;

    /// <summary>Every (file, type) that crosses from one folder to another.</summary>
    public IReadOnlyList<FolderImport> Imports { get; }

    /// <summary>Reads the graph of the <c>.cs</c> files under <paramref name="root"/> (bin and obj left out).</summary>
    public static FolderGraph Load(string root) => FromSources(
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Select(f => (FolderOf(f), f, File.ReadAllText(Path.Combine(root, f))))
            .ToList());

    /// <summary>The graph of sources given as (folder, file name, text): the folder "." is the library's root.</summary>
    public static FolderGraph FromSources(IEnumerable<(string Folder, string File, string Text)> sources)
    {
        var code = sources.Select(s => (s.Folder, s.File, Code: CSharpText.Code(s.Text))).ToList();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, _, text) in code)
        {
            foreach (var name in CSharpText.DeclaredTypes(text))
            {
                owner.TryAdd(name, folder);
            }
        }

        var imports = new List<FolderImport>();
        foreach (var (folder, file, text) in code)
        {
            var local = CSharpText.DeclaredTypes(text).ToHashSet(StringComparer.Ordinal);
            foreach (var name in CSharpText.TypeLikeNames(text))
            {
                if (!local.Contains(name) && owner.TryGetValue(name, out var target) && target != folder)
                {
                    imports.Add(new FolderImport(folder, target, name, file));
                }
            }
        }

        return new FolderGraph(imports);
    }

    /// <summary>The folder of a file given relative to the root, as the rules name it: "./" or "Sources/Lines/".</summary>
    public static string FolderOf(string relativeFile)
    {
        var slash = relativeFile.LastIndexOf('/');
        return slash < 0 ? "./" : relativeFile[..(slash + 1)];
    }
}
