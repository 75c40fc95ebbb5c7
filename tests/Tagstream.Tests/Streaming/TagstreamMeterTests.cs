using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Tagstream.Streaming;
using Tagstream.Tests.Sources;
using Tagstream.Tests.TestSupport;
using Xunit;

namespace Tagstream.Tests.Streaming;

public sealed class TagstreamMeterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_MeterListener_SeesEveryInstrumentMoveWithTheJobsFigures()
    {
        // The meter is shared by every job in the process: only this job's source name is looked at.
        string name = "meter-test-" + Guid.NewGuid().ToString("N");
        var sums = new ConcurrentDictionary<string, double>();
        var counts = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TagstreamMeter.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Observe(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Observe(instrument, value, tags));
        listener.Start();

        using var directory = new TempDirectory();
        var source = new ScriptedSource(name);
        var sink = new RecordingSink();
        BatchResult last;
        await using (var job = new HashtagJob(source, new HashtagJobOptions { Interval = TimeSpan.FromMilliseconds(50), CheckpointDirectory = directory.Path }))
        {
            job.AddSink(sink);
            Task run = job.RunAsync(Token);
            source.Push("a b a\n\nc\n");
            await sink.Batches.Reader.ReadAsync(Token);   // closed at its deadline: the lag is measured
            source.Push([(byte)'d', (byte)' ', 0xFF, (byte)'\n']);
            source.End();
            await run;
            last = job.LastBatch!;

            Assert.Equal(last.DistinctTags, sums["tagstream.distinct_tags"]);
        }

        Assert.Equal((4L, 5L, 1L), (last.TotalPosts, last.TotalTags, last.Malformed));
        Assert.Equal(last.TotalPosts, sums["tagstream.posts"]);
        Assert.Equal(last.TotalTags, sums["tagstream.tags"]);
        Assert.Equal(last.Malformed, sums["tagstream.malformed"]);
        Assert.Equal(0, sums["tagstream.distinct_tags"]);   // the disposed job's hashtags left with it
        Assert.Equal(last.Batch, counts["tagstream.batch.duration"]);
        Assert.Equal(last.Batch, counts["tagstream.checkpoint.duration"]);
        Assert.InRange(counts["tagstream.batch.lag"], 1, (int)last.Batch);
        Assert.True(sums["tagstream.batch.duration"] > 0);

        void Observe(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "tagstream.source" && Equals(tag.Value, name))
                {
                    sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
                    counts.AddOrUpdate(instrument.Name, 1, (_, count) => count + 1);
                }
            }
        }
    }
}
