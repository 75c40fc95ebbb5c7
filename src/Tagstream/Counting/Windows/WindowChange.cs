namespace Tagstream.Counting.Windows;

/// <summary>A hashtag whose window count changed in the last closed batch.</summary>
/// <param name="Hashtag">The hashtag in UTF-8, valid until the window's next change.</param>
/// <param name="Count">Its window count now; 0 when it left the window.</param>
internal readonly ref struct WindowChange(ReadOnlySpan<byte> Hashtag, long Count)
{
    /// <summary>The hashtag in UTF-8, valid until the window's next change.</summary>
    public ReadOnlySpan<byte> Hashtag { get; } = Hashtag;

    /// <summary>Its window count now; 0 when it left the window.</summary>
    public long Count { get; } = Count;
}
