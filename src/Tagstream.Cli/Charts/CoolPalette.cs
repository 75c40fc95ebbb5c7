using ScottPlot;

namespace Tagstream.Cli.Charts;

/// <summary>
/// The cyan-to-magenta palette of the original chart (matplotlib's and seaborn's "cool"): red rises and green falls
/// linearly while blue stays full, so the first bar is cyan and the last magenta.
/// </summary>
internal static class CoolPalette
{
    /// <summary>The colour of bar <paramref name="index"/> of <paramref name="count"/>.</summary>
    public static Color At(int index, int count)
    {
        var t = count <= 1 ? 0.0 : (double)index / (count - 1);
        return new Color((byte)Math.Round(255 * t), (byte)Math.Round(255 * (1 - t)), 255);
    }
}
