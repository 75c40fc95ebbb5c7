using Tagstream.Cli.Commands;

namespace Tagstream.Tests.Cli;

public sealed class CommandCatalogTests
{
    [Fact]
    public void All_EveryName_IsTheNameOfTheCommandItBuilds()
    {
        foreach (var (name, create) in CommandCatalog.All)
        {
            Assert.Equal(name, create().Name);
        }
    }

    [Theory]
    [InlineData("feed")]
    [InlineData("count")]
    [InlineData("chart")]
    public void For_FirstArgumentNamesACommand_BuildsThatOneOnly(string name)
    {
        var commands = CommandCatalog.For([name, "--help"]).ToList();

        Assert.Equal(name, Assert.Single(commands).Name);
    }

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("--version")]
    [InlineData("cout")]
    [InlineData("--port", "count")]
    public void For_FirstArgumentNamesNoCommand_BuildsThemAll(params string[] args)
    {
        var names = CommandCatalog.For(args).Select(command => command.Name).ToList();

        Assert.Equal(["feed", "gen", "count", "node", "cluster", "demo", "extract", "record", "chart"], names);
    }
}
