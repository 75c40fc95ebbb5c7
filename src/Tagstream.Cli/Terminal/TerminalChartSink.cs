using System.Threading.Channels;
using Spectre.Console;
using Tagstream.Streaming;

namespace Tagstream.Cli.Terminal;

/// <summary>
/// Shows each batch in the terminal: a live bar chart redrawn in place on an interactive terminal, a plain ranked
/// table per batch when the output is redirected.
/// </summary>
internal sealed class TerminalChartSink : IBatchSink, IAsyncDisposable
{
    private readonly IAnsiConsole _console;
    private readonly bool _live;
    private readonly string _source;
    private readonly string _view;
    private readonly Channel<BatchResult> _batches = Channel.CreateUnbounded<BatchResult>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _liveLoop = Task.CompletedTask;

    public TerminalChartSink(IAnsiConsole console, bool live, string source, string view = "all")
    {
        _view = view;
        _console = console;
        _live = live;
        _source = source;
        if (live)
        {
            _liveLoop = RunLiveAsync();
        }
    }

    public ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken)
    {
        if (_live)
        {
            _batches.Writer.TryWrite(batch);
        }
        else
        {
            _console.Profile.Out.Writer.Write(TopChart.Plain(batch, _view));
            _console.Profile.Out.Writer.Flush();
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask OnCompletedAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        _batches.Writer.TryComplete();
        await _liveLoop.ConfigureAwait(false);
    }

    private Task RunLiveAsync() => _console.Live(TopChart.Render(null, _source)).AutoClear(false).StartAsync(async context =>
    {
        // The waiting panel at once: without this the screen stays empty for the whole first interval.
        context.Refresh();
        await foreach (BatchResult batch in _batches.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            // Only the newest batch matters on screen.
            BatchResult newest = batch;
            while (_batches.Reader.TryRead(out BatchResult? newer))
            {
                newest = newer;
            }

            context.UpdateTarget(TopChart.Render(newest, _source, _view));
            context.Refresh();
        }
    });
}
