using Tagstream.Sources.Lines;

namespace Tagstream.Sources;

/// <summary>Where a <see cref="FeedSocketSource"/> connects and how it behaves when the connection ends.</summary>
public sealed record FeedSocketOptions
{
    /// <summary>The feed's host name or address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The feed's TCP port.</summary>
    public int Port { get; init; } = 9876;

    /// <summary>End the source when the feed closes the connection, instead of reconnecting.</summary>
    public bool UntilEof { get; init; }

    /// <summary>The feed run and line to resume at, from a checkpoint; null to start with the feed's next line.</summary>
    public SourcePosition? ResumeFrom { get; init; }

    /// <summary>Longer lines are skipped and counted as malformed.</summary>
    public int MaxLineBytes { get; init; } = LineChunkReader.DefaultMaxLineBytes;

    /// <summary>The first delay before reconnecting; it doubles with each failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between two attempts to reconnect.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock for the delays between attempts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the options and returns the first problem as one sentence, or null when they are valid.</summary>
    public string? Validate() =>
        string.IsNullOrWhiteSpace(Host) ? "The feed's host is empty."
        : Port is < 1 or > 65535 ? $"The feed's port must be between 1 and 65535, not {Port}."
        : MaxLineBytes < 1 ? "The line limit must be at least one byte."
        : MinRetryDelay <= TimeSpan.Zero || MaxRetryDelay < MinRetryDelay ? "The reconnect delays must be positive, the longest no shorter than the first."
        : null;
}
