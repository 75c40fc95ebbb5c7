namespace Tagstream.Hashtags;

/// <summary>Where a hashtag was found in a text, in UTF-16 code units.</summary>
/// <param name="Start">The index of the hash sign (<c>#</c> or the fullwidth <c>＃</c>).</param>
/// <param name="Length">The length of the hash sign and the tag together.</param>
public readonly record struct HashtagSpan(int Start, int Length)
{
    /// <summary>The index of the tag's first character, just after the hash sign.</summary>
    public int TagStart => Start + 1;

    /// <summary>The length of the tag without the hash sign.</summary>
    public int TagLength => Length - 1;
}
