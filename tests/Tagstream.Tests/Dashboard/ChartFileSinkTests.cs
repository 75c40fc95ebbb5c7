using SkiaSharp;
using Tagstream.Cli.Charts;
using Xunit;

namespace Tagstream.Tests.Dashboard;

public sealed class ChartFileSinkTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tagstream-charts-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task OnBatch_Png_KeepsOnlyTheLatestChartByDefault()
    {
        var sink = new ChartFileSink(_directory, ChartFormat.Png, new ChartRenderer(800, 600));

        await sink.OnBatchAsync(TestBatches.Make(1), TestContext.Current.CancellationToken);
        await sink.OnBatchAsync(TestBatches.Make(2), TestContext.Current.CancellationToken);

        Assert.Equal(["latest.png"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        using var bitmap = SKBitmap.Decode(Path.Combine(_directory, "latest.png"));
        Assert.Equal((800, 600), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task OnBatch_PngSeries_WritesOneDecodableFilePerBatchNamedByTimeBesideTheLatest()
    {
        var sink = new ChartFileSink(_directory, ChartFormat.Png, new ChartRenderer(800, 600), series: true);

        await sink.OnBatchAsync(TestBatches.Make(1), TestContext.Current.CancellationToken);
        await sink.OnBatchAsync(TestBatches.Make(2), TestContext.Current.CancellationToken);

        Assert.Equal(["latest.png", "top-2026-11-26T13-00-01.000Z.png", "top-2026-11-26T13-00-02.000Z.png"],
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var bitmap = SKBitmap.Decode(Path.Combine(_directory, "top-2026-11-26T13-00-02.000Z.png"));
        Assert.Equal((800, 600), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task OnBatch_Svg_WritesTheChartAsSvg()
    {
        var sink = new ChartFileSink(_directory, ChartFormat.Svg, new ChartRenderer());

        await sink.OnBatchAsync(TestBatches.Make(3), TestContext.Current.CancellationToken);

        var svg = await File.ReadAllTextAsync(Path.Combine(_directory, "latest.svg"), TestContext.Current.CancellationToken);
        Assert.StartsWith("<?xml", svg, StringComparison.Ordinal);
        Assert.Contains("tag19", svg, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
