using Tagstream.Cli.Commands;
using Tagstream.Sources;

namespace Tagstream.Cli.Terminal;

/// <summary>Prints each source status as one line, synchronously (not through a synchronisation context).</summary>
internal sealed class StatusPrinter(TextWriter writer) : IProgress<SourceStatus>
{
    private readonly Lock _gate = new();

    public void Report(SourceStatus value)
    {
        string prefix = value.Severity switch
        {
            SourceSeverity.Error => "Error: ",
            SourceSeverity.Warning => "Warning: ",
            _ => "",
        };
        lock (_gate)
        {
            writer.WriteLine($"[{value.Source}] {prefix}{OptionFlags.InFlags(value.Message)}");
            writer.Flush();
        }
    }
}
