using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tagstream.Streaming;

/// <summary>The instruments of the <see cref="TagstreamMeter"/> meter, shared by every job in the process.</summary>
internal static class JobMetrics
{
    private static readonly Meter s_meter = new(TagstreamMeter.Name, typeof(JobMetrics).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> Posts = s_meter.CreateCounter<long>("tagstream.posts", "{post}", "Posts (lines) counted.");

    public static readonly Counter<long> Tags = s_meter.CreateCounter<long>("tagstream.tags", "{tag}", "Hashtag occurrences counted.");

    public static readonly Counter<long> Malformed = s_meter.CreateCounter<long>(
        "tagstream.malformed", "{token}", "Malformed input skipped: invalid tokens and over-long lines.");

    public static readonly UpDownCounter<long> DistinctTags = s_meter.CreateUpDownCounter<long>(
        "tagstream.distinct_tags", "{tag}", "Distinct hashtags held by the running jobs.");

    public static readonly Histogram<double> BatchDuration = s_meter.CreateHistogram<double>(
        "tagstream.batch.duration", "s", "Time to close a batch: fold, rank, query and start its commit.");

    public static readonly Histogram<double> CheckpointDuration = s_meter.CreateHistogram<double>(
        "tagstream.checkpoint.duration", "s", "Time until a batch's checkpoint commit was durable.");

    public static readonly Histogram<double> BatchLag = s_meter.CreateHistogram<double>(
        "tagstream.batch.lag", "s", "How long after its scheduled time a batch closed.");

    /// <summary>The tag every measurement carries: the source's name.</summary>
    public static KeyValuePair<string, object?> SourceTag(string source) => new("tagstream.source", source);
}
