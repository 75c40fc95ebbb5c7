namespace Tagstream.Counting;

/// <summary>A token found by the tokenizer: where it is in the chunk and its fingerprint (high half of its hash).</summary>
internal readonly record struct TokenRef(int Offset, int Length, uint Fingerprint);
