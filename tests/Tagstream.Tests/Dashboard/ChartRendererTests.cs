using System.Xml.Linq;
using SkiaSharp;
using Tagstream.Cli.Charts;
using Xunit;

namespace Tagstream.Tests.Dashboard;

public sealed class ChartRendererTests
{
    private static readonly HashtagCount[] Top = [.. TestBatches.Make(7).Top];

    [Theory]
    [InlineData(1200, 700)]
    [InlineData(640, 480)]
    public void RenderPng_DecodesAtTheAskedSize(int width, int height)
    {
        var png = new ChartRenderer(width, height).RenderPng(Top, "TIME: 2026-11-26 13:00:07");

        using var bitmap = SKBitmap.Decode(png);

        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void RenderPng_FirstBarIsCyanAndLastMagenta()
    {
        using var bitmap = SKBitmap.Decode(new ChartRenderer().RenderPng(Top, "TIME: 2026-11-26 13:00:07"));

        var pixels = bitmap.Pixels;
        Assert.Contains(new SKColor(0, 255, 255), pixels);
        Assert.Contains(new SKColor(255, 0, 255), pixels);
    }

    [Fact]
    public void RenderPng_NoBatchYet_DrawsTheWaitingChart()
    {
        using var bitmap = SKBitmap.Decode(new ChartRenderer().RenderPng([], "TIME: 2026-11-26 13:00:00"));

        Assert.Equal(1200, bitmap.Width);
        Assert.DoesNotContain(new SKColor(0, 255, 255), bitmap.Pixels);
    }

    [Fact]
    public void RenderSvg_HasEveryHashtagValueAndTheTime()
    {
        var svg = XDocument.Parse(new ChartRenderer().RenderSvg(Top, "TIME: 2026-11-26 13:00:07"));

        var texts = svg.Descendants().Where(static e => e.Name.LocalName == "text").Select(static e => e.Value.Trim()).ToList();
        Assert.Contains("TIME: 2026-11-26 13:00:07", texts);
        Assert.All(Top, entry => Assert.Contains(entry.Hashtag, texts));
        Assert.All(Top, entry => Assert.Contains(ChartRenderer.FormatValue(entry.Total), texts));
    }

    [Fact]
    public void For_NonLatinLabels_PicksAFamilyMissingTheFewestGlyphs()
    {
        string[] labels = ["football", "サッカー", "축구", "футбол", "mbappé"];

        var chosen = ChartFont.For(labels);

        var fewest = SKFontManager.Default.FontFamilies.Min(family => Missing(family, labels));
        Assert.Equal(fewest, Missing(chosen, labels));
    }

    [Fact]
    public void For_LatinLabels_PicksASansSerifFamily()
    {
        var chosen = ChartFont.For(["football", "worldcup"]);

        Assert.DoesNotContain("Serif", chosen, StringComparison.Ordinal);
        Assert.DoesNotContain("Mono", chosen, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("football", "football")]
    [InlineData("abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvw…")]
    [InlineData("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301",
        "e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301…")]
    public void Shorten_CutsLongLabelsAtWholeCharacters(string hashtag, string expected) =>
        Assert.Equal(expected, ChartRenderer.Shorten(hashtag));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(99_999, "99,999")]
    [InlineData(100_000, "100k")]
    [InlineData(1_234_567, "1.23M")]
    [InlineData(5_000_000_000, "5G")]
    public void FormatValue_FitsOnABar(long total, string expected) =>
        Assert.Equal(expected, ChartRenderer.FormatValue(total));

    [Fact]
    public void CoolPalette_RunsFromCyanToMagenta()
    {
        Assert.Equal("#00FFFF", CoolPalette.At(0, 20).ToHex());
        Assert.Equal("#FF00FF", CoolPalette.At(19, 20).ToHex());
        Assert.Equal("#00FFFF", CoolPalette.At(0, 1).ToHex());
    }

    private static int Missing(string family, IEnumerable<string> labels)
    {
        using var typeface = SKTypeface.FromFamilyName(family);
        return labels.SelectMany(static label => label.EnumerateRunes()).Distinct().Count(rune => !typeface.ContainsGlyph(rune.Value));
    }
}
