using System.Globalization;
using System.Text;
using Tagstream.Streaming;

namespace Tagstream.Cli.Dashboard;

/// <summary>
/// The counter's figures in the Prometheus text exposition format
/// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), served at <c>/metrics</c>.
/// </summary>
/// <remarks>
/// Durations are summaries without quantiles (a <c>_sum</c> and a <c>_count</c>), enough for a rate of mean duration
/// and cheap to keep. The checkpoint and batch durations appear once the host has reported one.
/// </remarks>
internal sealed class DashboardMetrics
{
    private readonly Lock _lock = new();
    private readonly FrameBroadcaster _broadcaster;
    private BatchResult? _last;
    private long _batches;
    private DurationSummary _batchDuration;
    private DurationSummary _checkpointDuration;
    private DurationSummary _publishDuration;
    private DurationSummary _chartDuration;

    /// <summary>Creates the metrics of a dashboard whose viewers <paramref name="broadcaster"/> serves.</summary>
    public DashboardMetrics(FrameBroadcaster broadcaster) => _broadcaster = broadcaster;

    /// <summary>Takes the figures of a closed batch and how long the dashboard took to encode and publish it.</summary>
    public void ObserveBatch(BatchResult batch, TimeSpan publishDuration)
    {
        lock (_lock)
        {
            _last = batch;
            _batches++;
            _publishDuration = _publishDuration.Add(publishDuration);
            _batchDuration = _batchDuration.Add(batch.Duration);
            if (batch.CheckpointDuration is { } checkpoint)
            {
                _checkpointDuration = _checkpointDuration.Add(checkpoint);
            }
        }
    }

    /// <summary>Records how long drawing one SVG chart took.</summary>
    public void RecordChartDuration(TimeSpan duration)
    {
        lock (_lock)
        {
            _chartDuration = _chartDuration.Add(duration);
        }
    }

    /// <summary>The metrics as Prometheus text.</summary>
    public string Render()
    {
        var text = new StringBuilder(2048);
        lock (_lock)
        {
            Write(text, "tagstream_posts_total", "counter", "Posts (lines) counted since the start.", _last?.TotalPosts ?? 0);
            Write(text, "tagstream_tags_total", "counter", "Hashtag occurrences counted since the start.", _last?.TotalTags ?? 0);
            Write(text, "tagstream_malformed_total", "counter", "Malformed input skipped since the start: invalid tokens and over-long lines.", _last?.Malformed ?? 0);
            Write(text, "tagstream_distinct_tags", "gauge", "Distinct hashtags counted since the start.", _last?.DistinctTags ?? 0);
            Write(text, "tagstream_batches_total", "counter", "Batches closed since the dashboard started.", _batches);
            Write(text, "tagstream_last_batch", "gauge", "Number of the last closed batch.", _last?.Batch ?? 0);
            if (_last is not null)
            {
                Write(text, "tagstream_last_batch_time_seconds", "gauge", "When the last batch closed, in seconds since the Unix epoch.",
                    _last.Time.ToUnixTimeMilliseconds() / 1000.0);
            }

            WriteSummary(text, "tagstream_batch_duration_seconds", "Time to close a batch: count, merge and rank.", _batchDuration);
            WriteSummary(text, "tagstream_checkpoint_duration_seconds", "Time to write a checkpoint.", _checkpointDuration);
            WriteSummary(text, "tagstream_dashboard_publish_seconds", "Time the dashboard took to encode a batch and hand it to every client.", _publishDuration);
            WriteSummary(text, "tagstream_dashboard_chart_seconds", "Time to draw a batch's SVG chart, done once per batch and view when a browser asks for it.", _chartDuration);
        }

        Write(text, "tagstream_dashboard_clients", "gauge", "Browsers and other clients connected to /api/stream.", _broadcaster.SubscriberCount);
        Write(text, "tagstream_dashboard_dropped_frames_total", "counter", "Frames a slow client skipped because a newer one replaced them.", _broadcaster.DroppedFrames);
        return text.ToString();
    }

    private static void Write(StringBuilder text, string name, string type, string help, double value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        text.Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void WriteSummary(StringBuilder text, string name, string help, DurationSummary summary)
    {
        if (summary.Count == 0)
        {
            return;
        }

        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" summary\n");
        text.Append(name).Append("_sum ").Append(summary.Sum.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_count ").Append(summary.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
