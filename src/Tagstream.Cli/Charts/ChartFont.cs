using System.Collections.Concurrent;
using SkiaSharp;

namespace Tagstream.Cli.Charts;

/// <summary>
/// Picks the sans-serif font family that draws a chart's labels with the fewest missing glyphs, so that non-Latin
/// hashtags do not come out as empty boxes when the machine has a font for them (on Debian: fonts-noto-cjk).
/// </summary>
/// <remarks>
/// ScottPlot draws every tick label of an axis in one typeface, and the Linux Skia build it ships
/// (SkiaSharp.NativeAssets.Linux.NoDependencies) has no fontconfig, so it neither falls back per character nor
/// matches a character to a font: the choice has to be made here, once per chart, over all its labels.
/// </remarks>
internal static class ChartFont
{
    // Preferred first: the common sans-serif faces, then the Noto CJK faces, which also cover Latin, Greek and Cyrillic.
    private static readonly string[] Preferred =
    [
        "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica",
        "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK KR",
    ];

    private static readonly Lazy<string[]> Candidates = new(ListCandidates);
    private static readonly ConcurrentDictionary<string, SKTypeface?> Typefaces = new(StringComparer.Ordinal);

    /// <summary>The family to draw <paramref name="labels"/> with.</summary>
    public static string For(IEnumerable<string> labels)
    {
        var codePoints = new HashSet<int>();
        foreach (var label in labels)
        {
            foreach (var rune in label.EnumerateRunes())
            {
                codePoints.Add(rune.Value);
            }
        }

        var best = Candidates.Value.Length > 0 ? Candidates.Value[0] : "sans-serif";
        var fewestMissing = int.MaxValue;
        foreach (var family in Candidates.Value)
        {
            var typeface = Typeface(family);
            if (typeface is null)
            {
                continue;
            }

            var missing = 0;
            foreach (var codePoint in codePoints)
            {
                if (!typeface.ContainsGlyph(codePoint))
                {
                    missing++;
                }
            }

            if (missing < fewestMissing)
            {
                (best, fewestMissing) = (family, missing);
                if (missing == 0)
                {
                    break;
                }
            }
        }

        return best;
    }

    /// <summary>The typeface of <paramref name="family"/>, loaded once: with no fontconfig, each load reads the font file.</summary>
    public static SKTypeface? Typeface(string family) => Typefaces.GetOrAdd(family, static name => SKTypeface.FromFamilyName(name));

    private static string[] ListCandidates()
    {
        var installed = SKFontManager.Default.FontFamilies
            .Where(static family => !family.Contains("Mono", StringComparison.OrdinalIgnoreCase)
                && !family.Contains("Serif", StringComparison.OrdinalIgnoreCase)
                && !family.Contains("Math", StringComparison.OrdinalIgnoreCase))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var ordered = Preferred.Where(installed.Contains).ToList();
        ordered.AddRange(installed.Where(family => !ordered.Contains(family, StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal));
        return [.. ordered];
    }
}
