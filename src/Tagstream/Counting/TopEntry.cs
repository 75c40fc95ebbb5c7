namespace Tagstream.Counting;

/// <summary>One entry of the published top: its key bytes in the ranking's key buffer, and its total.</summary>
internal readonly record struct TopEntry(int KeyOffset, int KeyLength, long Total);
