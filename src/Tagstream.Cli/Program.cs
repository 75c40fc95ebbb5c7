using System.CommandLine;

var root = new RootCommand("Tagstream: a live hashtag feed and an exact, fast counter with a top-N bar chart.");
root.Subcommands.Add(Tagstream.Cli.Commands.ExtractCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
