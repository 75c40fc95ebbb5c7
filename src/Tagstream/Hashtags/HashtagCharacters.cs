using System.Globalization;
using System.Text;

namespace Tagstream.Hashtags;

/// <summary>
/// The character classes of the twitter-text hashtag rules
/// (https://github.com/twitter/twitter-text/blob/master/conformance/extract.yml, section hashtags).
/// </summary>
internal static class HashtagCharacters
{
    /// <summary>The fullwidth number sign, which starts a hashtag like <c>#</c>.</summary>
    public const char FullwidthHash = '\uFF03';

    public static bool IsHashSign(char c) => c is '#' or FullwidthHash;

    /// <summary>A letter: the one class a tag must contain at least once (so <c>#123</c> and <c>#_</c> are not tags).</summary>
    public static bool IsLetter(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

    /// <summary>A character that may appear in a tag: letters, marks, decimal digits, <c>_</c> and the joiners.</summary>
    public static bool IsTagCharacter(Rune rune)
    {
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.DecimalDigitNumber:
                return true;
            default:
                return IsSpecialJoiner(rune.Value);
        }
    }

    /// <summary>
    /// Punctuation that twitter-text keeps inside tags because scripts use it within words: the underscore, ZWNJ and ZWJ
    /// (Indic scripts), the Hebrew maqaf, geresh and gershayim, the Japanese wave dash, fullwidth tilde, sound marks,
    /// double hyphen, katakana middle dot and ditto mark, the Tibetan tsheg, the Cyrillic kavyka and the middle dot.
    /// </summary>
    private static bool IsSpecialJoiner(int c) => c is
        '_' or 0x200C or 0x200D or 0xA67E or 0x05BE or 0x05F3 or 0x05F4 or 0xFF5E or 0x301C
        or 0x309B or 0x309C or 0x30A0 or 0x30FB or 0x3003 or 0x0F0B or 0x0F0C or 0x00B7;

    /// <summary>Variation selectors: emoji presentation marks after which a hash sign still starts a tag.</summary>
    public static bool IsVariationSelector(Rune rune) => rune.Value is 0xFE0E or 0xFE0F;
}
