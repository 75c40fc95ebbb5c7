namespace Tagstream.Counting;

/// <summary>A hashtag counted in the last closed batch.</summary>
public readonly ref struct HashtagChange
{
    internal HashtagChange(ReadOnlySpan<byte> hashtag, long delta, long total)
    {
        Hashtag = hashtag;
        Delta = delta;
        Total = total;
    }

    /// <summary>The hashtag in UTF-8, as sent; valid until the counter's next change.</summary>
    public ReadOnlySpan<byte> Hashtag { get; }

    /// <summary>Occurrences in the batch.</summary>
    public long Delta { get; }

    /// <summary>The total after the batch.</summary>
    public long Total { get; }
}
