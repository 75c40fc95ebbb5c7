namespace Tagstream.Sources.Live.Transport;

/// <summary>What a live source needs from its host: where problems go, the clock, and how back-off waits.</summary>
public sealed class LiveSourceContext
{
    /// <summary>Receives one line per distinct problem in the stream (rate-limited).</summary>
    public required ProblemReporter Problems { get; init; }

    /// <summary>The clock for read and idle timeouts and for the default back-off wait.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Waits out a reconnect back-off. Null waits on <see cref="TimeProvider"/>; tests replace it to record the delays
    /// the source asked for and return at once.
    /// </summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }

    internal Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Delay is { } delayFunc ? delayFunc(delay, cancellationToken) : Task.Delay(delay, TimeProvider, cancellationToken);
}
