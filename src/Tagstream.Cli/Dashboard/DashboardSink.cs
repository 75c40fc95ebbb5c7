using System.Text;
using Tagstream.Cli.Charts;
using Tagstream.Sinks;
using Tagstream.Sources.Parsing;
using Tagstream.Streaming;

namespace Tagstream.Cli.Dashboard;

/// <summary>
/// Turns each closed batch into a <see cref="DashboardFrame"/>: JSON, the Server-Sent Event and the SVG chart of every
/// view, each made at most once for all viewers, then hands it to the <see cref="FrameBroadcaster"/>.
/// </summary>
internal sealed class DashboardSink : IBatchSink
{
    private readonly FrameBroadcaster _broadcaster;
    private readonly DashboardMetrics _metrics;
    private readonly IReadOnlyList<DashboardView> _views;
    private readonly ChartRenderer _renderer;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the sink of a dashboard.</summary>
    public DashboardSink(
        FrameBroadcaster broadcaster,
        DashboardMetrics metrics,
        IReadOnlyList<DashboardView> views,
        ChartRenderer renderer,
        TimeProvider timeProvider)
    {
        _broadcaster = broadcaster;
        _metrics = metrics;
        _views = views;
        _renderer = renderer;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var title = ChartRenderer.TitleFor(batch.Time);
        var frames = new Dictionary<DashboardView, ViewFrame>(_views.Count);
        foreach (var view in _views)
        {
            if (RankingOf(batch, view) is { } top)
            {
                var json = BatchJson.Serialize(batch with { Top = top });
                var svg = new Lazy<byte[]>(() => DrawChart(top, title));
                frames[view] = new ViewFrame(top, json, SseEvent.Batch(batch.Batch, json), svg);
            }
        }

        _broadcaster.Publish(new DashboardFrame(batch, frames));
        _metrics.ObserveBatch(batch, _timeProvider.GetElapsedTime(started));
        return ValueTask.CompletedTask;
    }

    private byte[] DrawChart(IReadOnlyList<HashtagCount> top, string title)
    {
        var started = _timeProvider.GetTimestamp();
        var svg = Encoding.UTF8.GetBytes(_renderer.RenderSvg(top, title));
        _metrics.RecordChartDuration(_timeProvider.GetElapsedTime(started));
        return svg;
    }

    // BatchResult carries the all-time ranking; the window and trending views join here when the counter keeps them.
    // The trending view ranks by score and shows each hashtag's window count as its bar.
    private static IReadOnlyList<HashtagCount>? RankingOf(BatchResult batch, DashboardView view) => view switch
    {
        DashboardView.All => batch.Top,
        DashboardView.Window => batch.Window,
        DashboardView.Trending => batch.Trending is { } trending ? [.. trending.Select(t => new HashtagCount(t.Hashtag, t.WindowCount))] : null,
        _ => null,
    };
}
