using System.CommandLine;
using System.CommandLine.Help;
using Tagstream.Cli.Commands;

// A plain command named "tagstream" rather than RootCommand, whose name is the executable's (Tagstream.Cli, as the
// assembly cannot be named tagstream next to Tagstream.dll): help then shows the name users type.
var root = new Command("tagstream", "Tagstream: a live hashtag feed and an exact, fast counter with a top-N bar chart.")
{
    new HelpOption(),
    new VersionOption(),
    FeedCommand.Create(),
    GenCommand.Create(),
    CountCommand.Create(),
    NodeCommand.Create(),
    ClusterCommand.Create(),
    DemoCommand.Create(),
    ExtractCommand.Create(),
    RecordCommand.Create(),
    ChartCommand.Create(),
};

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    string command = parse.CommandResult.Command == root ? "" : parse.CommandResult.Command.Name + " ";
    string message = string.Join(' ', parse.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    return CommandRunner.Fail(command.TrimEnd(), $"{message} (see 'tagstream {command}--help')", CommandRunner.Usage);
}

return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
