using Tagstream.Cli.Dashboard;
using Tagstream.Streaming;

namespace Tagstream.Cli.Commands;

/// <summary>The running chart outputs of a command: the sinks to attach and the dashboard to stop at the end.</summary>
internal sealed class ChartOutputs : IAsyncDisposable
{
    internal ChartOutputs(DashboardServer? dashboard, IReadOnlyList<IBatchSink> sinks)
    {
        Dashboard = dashboard;
        Sinks = sinks;
    }

    /// <summary>The dashboard, or null with <c>--no-dashboard</c>; the host reports batch and checkpoint durations to its metrics.</summary>
    public DashboardServer? Dashboard { get; }

    /// <summary>The sinks to attach to the streaming job: the dashboard first, then image files.</summary>
    public IReadOnlyList<IBatchSink> Sinks { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Dashboard?.DisposeAsync() ?? ValueTask.CompletedTask;
}
