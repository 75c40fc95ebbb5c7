using System.CommandLine;
using System.CommandLine.Help;
using Tagstream.Cli.Commands;

// A plain command named "tagstream" rather than RootCommand, whose name is the executable's (Tagstream.Cli, as the
// assembly cannot be named tagstream next to Tagstream.dll): help then shows the name users type.
var root = new Command("tagstream", "Tagstream: a live hashtag feed and an exact, fast counter with a top-N bar chart.")
{
    new HelpOption { Action = new GroupedHelp() },
    new VersionOption(),
};
foreach (Command command in CommandCatalog.For(args))
{
    root.Subcommands.Add(command);
}

ParseResult parse = root.Parse(args);
if (ParseErrors.Describe(parse) is { } problem)
{
    string command = parse.CommandResult.Command == root ? "" : parse.CommandResult.Command.Name + " ";
    return CommandRunner.Fail(command.TrimEnd(), $"{problem} (see 'tagstream {command}--help')", CommandRunner.Usage);
}

// Only now, so that help and usage errors never reach for a collector.
using OpenTelemetry.Metrics.MeterProvider? otlp = OtlpExport.StartIfConfigured();
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
