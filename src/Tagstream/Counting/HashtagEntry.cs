namespace Tagstream.Counting;

/// <summary>A hashtag and its total.</summary>
public readonly ref struct HashtagEntry
{
    internal HashtagEntry(ReadOnlySpan<byte> hashtag, long total)
    {
        Hashtag = hashtag;
        Total = total;
    }

    /// <summary>The hashtag in UTF-8, as sent; valid until the counter's next change.</summary>
    public ReadOnlySpan<byte> Hashtag { get; }

    /// <summary>Occurrences in closed batches, plus recovered counts.</summary>
    public long Total { get; }
}
