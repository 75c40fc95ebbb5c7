using System.Globalization;
using Tagstream.Streaming;

namespace Tagstream.Cli.Charts;

/// <summary>
/// Writes each batch's chart to a folder (<c>--png DIR</c>, <c>--svg DIR</c>) as <c>latest.png</c> (or <c>.svg</c>),
/// replaced every batch; with <c>--chart-series</c>, also one file per batch named by its closing time in UTC, for
/// example <c>top-2026-11-26T13-20-00.000Z.png</c>, so that names sort in time order.
/// </summary>
/// <remarks>A file per batch by default filled a folder with hundreds of files an hour nobody asked for.</remarks>
internal sealed class ChartFileSink : IBatchSink
{
    private readonly string _directory;
    private readonly ChartFormat _format;
    private readonly ChartRenderer _renderer;
    private readonly bool _series;

    /// <summary>Creates the sink; the folder is created when missing. With <c>series</c>, every batch's chart is also kept.</summary>
    public ChartFileSink(string directory, ChartFormat format, ChartRenderer renderer, bool series = false)
    {
        _directory = Directory.CreateDirectory(directory).FullName;
        _format = format;
        _renderer = renderer;
        _series = series;
    }

    /// <summary>The file that always holds the newest chart.</summary>
    public string LatestPath => Path.Combine(_directory, _format == ChartFormat.Png ? "latest.png" : "latest.svg");

    /// <inheritdoc />
    public async ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken)
    {
        var title = ChartRenderer.TitleFor(batch.Time);
        // Written beside the final name, then moved, so a viewer of the folder never opens half a file.
        var partial = LatestPath + ".partial";
        if (_format == ChartFormat.Png)
        {
            await File.WriteAllBytesAsync(partial, _renderer.RenderPng(batch.Top, title), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllTextAsync(partial, _renderer.RenderSvg(batch.Top, title), cancellationToken).ConfigureAwait(false);
        }

        if (_series)
        {
            File.Copy(partial, PathFor(batch.Time), overwrite: true);
        }

        File.Move(partial, LatestPath, overwrite: true);
    }

    /// <summary>The file a batch closed at <paramref name="time"/> goes to.</summary>
    public string PathFor(DateTimeOffset time)
    {
        var extension = _format == ChartFormat.Png ? ".png" : ".svg";
        var name = "top-" + time.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss.fff'Z'", CultureInfo.InvariantCulture) + extension;
        return Path.Combine(_directory, name);
    }
}
