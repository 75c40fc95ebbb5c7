using System.Net;
using Tagstream.Sources.Lines;

namespace Tagstream.Feed;

/// <summary>How a feed serves its clients.</summary>
public sealed record FeedServerOptions
{
    /// <summary>The interface to listen on: loopback unless the user chooses to expose the feed.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 picks a free one.</summary>
    public int Port { get; init; } = 9876;

    /// <summary>
    /// The recent lines kept for clients, in bytes. A client more than this far behind the fastest one is dropped;
    /// a counter that reconnects within it resumes without a gap.
    /// </summary>
    public int BufferBytes { get; init; } = 64 << 20;

    /// <summary>How long a new connection has to send the resume hello before it is served as a plain client.</summary>
    /// <remarks>
    /// Long enough that a counter on a busy machine is not mistaken for a plain client (it would then lose its place);
    /// short enough that <c>nc</c> barely notices.
    /// </remarks>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the clients get, at the end, to take the lines still buffered for them.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options and returns the first problem as one sentence, or null when they are valid.</summary>
    public string? Validate() =>
        Port is < 0 or > 65535 ? $"--port must be between 0 and 65535, not {Port}."
        : BufferBytes < 2 * (LineChunkReader.DefaultMaxLineBytes + 1) ? "The client buffer must hold at least two maximal lines (2 MiB)."
        : HelloTimeout <= TimeSpan.Zero || FlushTimeout < TimeSpan.Zero ? "The feed's timeouts must be positive."
        : null;
}
