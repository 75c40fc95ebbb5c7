using System.Text.RegularExpressions;
using Tagstream.Cli.Commands;
using Tagstream.Feed;
using Tagstream.Sources.Synthetic;
using Tagstream.Streaming;
using Tagstream.Tests.Examples;

namespace Tagstream.Tests.Architecture;

/// <summary>
/// The engine speaks of its own members, never of command-line flags; the command turns the members its messages
/// name into flags, in one place.
/// </summary>
public sealed partial class LibraryMessageTests
{
    private static readonly string LibraryRoot = Path.Combine(ExampleApp.RepositoryRoot, "src", "Tagstream");

    [Fact]
    public void Library_NoTextNamesAFlag()
    {
        var flags = LibraryFiles()
            .SelectMany(f => Flag().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(LibraryRoot, f)}: {m.Value}"))
            .ToList();

        Assert.Empty(flags);
    }

    // Members a message names that no flag sets: the message reaches a library caller only.
    private static readonly string[] LibraryOnly = ["CounterOptions.TopCapacity"];

    [Fact]
    public void OptionFlags_EveryOptionMemberALibraryMessageNames_HasAFlag()
    {
        var named = LibraryFiles()
            .SelectMany(f => CSharpText.StringLiterals(File.ReadAllText(f)))
            .SelectMany(literal => OptionMember().Matches(literal).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal);

        Assert.Empty(named.Except(OptionFlags.Members.Concat(LibraryOnly), StringComparer.Ordinal));
    }

    [Fact]
    public void InFlags_LibraryMessages_NameTheFlags()
    {
        Assert.Equal("--port must be between 0 and 65535, not 70000.", OptionFlags.InFlags(new FeedServerOptions { Port = 70000 }.Validate()!));
        Assert.Equal("--zipf must be between 0 (excluded) and 10, not 0.", OptionFlags.InFlags(new SyntheticOptions { Zipf = 0 }.Validate()!));
        Assert.Equal(
            "--trending compares a window with the longer term: set --window too.",
            OptionFlags.InFlags(new HashtagJobOptions { Trending = true }.Validate()!));
        Assert.Equal(
            "--max-tags keeps only a bounded summary, so it cannot be combined with checkpoints (add --no-checkpoint), --window or --sql.",
            OptionFlags.InFlags(new HashtagJobOptions { MaxTags = 100, CheckpointDirectory = "x" }.Validate()!));
    }

    private static IEnumerable<string> LibraryFiles() =>
        Directory.EnumerateFiles(LibraryRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(LibraryRoot, f).StartsWith("bin", StringComparison.Ordinal)
                && !Path.GetRelativePath(LibraryRoot, f).StartsWith("obj", StringComparison.Ordinal));

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex Flag();

    [GeneratedRegex(@"\b[A-Z]\w*Options\.[A-Z]\w*")]
    private static partial Regex OptionMember();
}
