using System.Globalization;

namespace Tagstream.Feed;

/// <summary>How a <see cref="FeedLog"/> is kept: what it records and how much of it.</summary>
public sealed record FeedLogOptions
{
    /// <summary>
    /// Identifies the stream the feed serves (its source and the options that decide its content, such as a seed or a
    /// file). A log written for another source is refused: continuing it would number different posts as one run.
    /// </summary>
    public required string Source { get; init; }

    /// <summary>
    /// The most bytes of segments kept: when a new segment would exceed it, the oldest segments are deleted. The
    /// segment being written is always kept, so a log can briefly hold one segment more.
    /// </summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>The size at which a segment is closed and a new one started; 1/8 of <see cref="MaxBytes"/>, 64 MiB at most, by default.</summary>
    public long? SegmentBytes { get; init; }

    /// <summary>
    /// How often lines written since the last flush are forced to disk (fsync), in the background. A process crash loses
    /// nothing either way (the page cache survives it); a machine crash can lose at most about this much of the log.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for <see cref="FlushInterval"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal long EffectiveSegmentBytes => SegmentBytes ?? Math.Clamp(MaxBytes / 8, 1L << 20, 64L << 20);

    /// <summary>Checks the options and returns the first problem as one sentence, or null when they are valid.</summary>
    public string? Validate() =>
        string.IsNullOrEmpty(Source) ? "The feed log needs the identity of the source it records."
        : MaxBytes < 1L << 20 ? string.Create(CultureInfo.InvariantCulture, $"The feed log must be allowed at least 1 MiB, not {MaxBytes} bytes.")
        : EffectiveSegmentBytes < 4096 || EffectiveSegmentBytes > MaxBytes ? "A feed log segment must be at least 4 KiB and at most the log's maximum size."
        : FlushInterval <= TimeSpan.Zero ? "The feed log's flush interval must be positive."
        : null;
}
