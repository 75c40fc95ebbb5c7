namespace Tagstream.Counting;

/// <summary>What the tokenizer's slow path found in a piece between ASCII whitespace.</summary>
internal enum PieceKind
{
    /// <summary>Valid UTF-8 without NUL and without Unicode whitespace: one token.</summary>
    Token,

    /// <summary>Valid UTF-8 without NUL that may hold Unicode whitespace: split it by runes.</summary>
    MayContainWhitespace,

    /// <summary>Invalid UTF-8 or a NUL byte: one malformed token.</summary>
    Malformed,
}
