namespace Tagstream.Sources.Live.Transport;

/// <summary>What <see cref="LineFramer.ReadLineAsync"/> found.</summary>
internal enum LineStatus
{
    /// <summary>A whole line (possibly empty: a keep-alive).</summary>
    Line,

    /// <summary>A line longer than the limit, skipped up to its end.</summary>
    Oversized,

    /// <summary>The stream ended cleanly after a whole line.</summary>
    End,

    /// <summary>The stream ended in the middle of a line; the partial line is dropped.</summary>
    EndMidLine,
}
