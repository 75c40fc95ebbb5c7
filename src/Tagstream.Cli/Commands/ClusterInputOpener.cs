using System.CommandLine;
using Tagstream.Cli.Terminal;
using Tagstream.Cluster;
using Tagstream.Sources;

namespace Tagstream.Cli.Commands;

/// <summary>Opens a cluster job's input on this node from the source options the job was started with.</summary>
internal sealed class ClusterInputOpener : IInputOpener
{
    public PostSource Open(JobSpec spec, SourcePosition? resumeAt)
    {
        var sources = new SourceOptions(forCounter: true);
        var command = new Command("input");
        sources.AddTo(command);
        ParseResult parse = command.Parse(spec.SourceArguments.ToArray());
        if (parse.Errors.Count > 0)
        {
            throw new IOException($"this node cannot read the job's source options: {parse.Errors[0].Message}");
        }

        try
        {
            return sources.Create(parse, TimeProvider.System, new StatusPrinter(Console.Error), resumeAt);
        }
        catch (UsageException e)
        {
            throw new IOException($"this node cannot open the job's input: {e.Message}", e);
        }
    }
}
