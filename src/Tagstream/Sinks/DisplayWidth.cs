using System.Globalization;
using System.Text;

namespace Tagstream.Sinks;

/// <summary>
/// How many terminal cells a string takes: two for East Asian wide and fullwidth characters and emoji, none for
/// combining marks and format characters, one otherwise (the rules terminals follow, after Unicode's East Asian Width).
/// </summary>
internal static class DisplayWidth
{
    public static int Of(string text)
    {
        int cells = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            cells += Of(rune);
        }

        return cells;
    }

    /// <summary>Pads <paramref name="text"/> with spaces on the right to <paramref name="cells"/> cells.</summary>
    public static string PadRight(string text, int cells) => text + new string(' ', Math.Max(0, cells - Of(text)));

    private static int Of(Rune rune)
    {
        UnicodeCategory category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
        {
            return 0;
        }

        int value = rune.Value;
        bool wide = value is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0x303E) or (>= 0x3041 and <= 0x33FF)
            or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xA000 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6)
            or (>= 0x1F300 and <= 0x1F64F) or (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x3FFFD);
        return wide ? 2 : 1;
    }
}
