using System.Collections.Frozen;

namespace Tagstream.Cli.Dashboard;

/// <summary>
/// The page, its script and its style sheet, embedded in the assembly (Dashboard/Assets/) so the dashboard works
/// offline from a single tool install: no CDN, no Node.js, no files beside the executable.
/// </summary>
internal static class StaticAssets
{
    private static readonly FrozenDictionary<string, (string ContentType, byte[] Content)> Assets = new Dictionary<string, (string, byte[])>
    {
        ["/"] = ("text/html; charset=utf-8", Load("index.html")),
        ["/dashboard.js"] = ("text/javascript; charset=utf-8", Load("dashboard.js")),
        ["/dashboard.css"] = ("text/css; charset=utf-8", Load("dashboard.css")),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The request paths of the assets.</summary>
    public static IEnumerable<string> Paths => Assets.Keys;

    /// <summary>The asset served at <paramref name="path"/>.</summary>
    public static (string ContentType, byte[] Content) Get(string path) => Assets[path];

    private static byte[] Load(string name)
    {
        using var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream("Tagstream.Cli.Dashboard.Assets." + name)
            ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
