using System.CommandLine;

namespace Tagstream.Cli.Commands;

/// <summary>
/// The tagstream commands by name, and which of them a command line needs built.
/// </summary>
/// <remarks>
/// Why: building a command builds every one of its options (each a generic <c>Option&lt;T&gt;</c> the JIT compiles
/// for its type on first use), and a run uses one command only, the one its first argument names. Help, the version
/// and any command line that names no command get them all, so their output and errors are unchanged; a name listed
/// here that differs from its command's own would only cost the saving, never a command.
/// </remarks>
internal static class CommandCatalog
{
    /// <summary>Every command, in the order help lists them, with the name it answers to.</summary>
    public static IReadOnlyList<(string Name, Func<Command> Create)> All { get; } =
    [
        ("feed", FeedCommand.Create),
        ("gen", GenCommand.Create),
        ("count", CountCommand.Create),
        ("node", NodeCommand.Create),
        ("cluster", ClusterCommand.Create),
        ("demo", DemoCommand.Create),
        ("extract", ExtractCommand.Create),
        ("record", RecordCommand.Create),
        ("chart", ChartCommand.Create),
    ];

    /// <summary>The commands <paramref name="args"/> needs: the one its first argument names, or all of them.</summary>
    public static IEnumerable<Command> For(IReadOnlyList<string> args)
    {
        foreach (var (name, create) in All)
        {
            if (args.Count > 0 && name == args[0])
            {
                return [create()];
            }
        }

        return All.Select(command => command.Create());
    }
}
