namespace Tagstream.Cli.Charts;

/// <summary>The image formats <c>--png</c> and <c>--svg</c> write.</summary>
internal enum ChartFormat
{
    /// <summary>A PNG raster image.</summary>
    Png,

    /// <summary>An SVG vector image.</summary>
    Svg,
}
