namespace Tagstream.Streaming;

/// <summary>
/// The engine's figures, published through <see cref="System.Diagnostics.Metrics"/> under the meter
/// <see cref="Name"/>: <c>dotnet-counters monitor</c> (with the counters of Tagstream), a <c>MeterListener</c> or any
/// OpenTelemetry pipeline (<c>AddMeter("Tagstream")</c>) sees them.
/// </summary>
/// <remarks>
/// Instruments, each tagged with <c>tagstream.source</c> (the counted source's name): <c>tagstream.posts</c>,
/// <c>tagstream.tags</c> and <c>tagstream.malformed</c> (counters, added once per batch);
/// <c>tagstream.distinct_tags</c> (an up-down counter: the distinct hashtags the running jobs hold);
/// <c>tagstream.batch.duration</c> (seconds to close a batch: fold, rank, query and start its commit);
/// <c>tagstream.checkpoint.duration</c> (seconds until a batch's checkpoint commit was durable);
/// <c>tagstream.batch.lag</c> (seconds a batch closed after its scheduled time: a counter falling behind its
/// interval shows here first).
/// </remarks>
public static class TagstreamMeter
{
    /// <summary>The name of the engine's meter.</summary>
    public const string Name = "Tagstream";
}
