#:project ../src/Tagstream/Tagstream.csproj

// The original Spark Streaming notebook, cell by cell, as a .NET file-based app. Start a feed first:
//
//   tagstream feed --limit 1000 football        (or: dotnet run examples/tweet_stream.cs -- 1000 football)
//   dotnet run examples/hashtag_summarizer.cs   (optionally: -- HOST:PORT, default 127.0.0.1:9876)
//
// TAGSTREAM_EXAMPLE_BATCHES=N stops after N batches, or when the feed closes, whichever comes first (CI uses it);
// TAGSTREAM_EXAMPLE_INTERVAL=SECONDS changes the 10 s interval.
using System.Globalization;
using Tagstream.Sinks;
using Tagstream.Sources;
using Tagstream.Streaming;

string feed = args.Length > 0 ? args[0] : "127.0.0.1:9876";
int? maxBatches = Environment.GetEnvironmentVariable("TAGSTREAM_EXAMPLE_BATCHES") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : null;
double seconds = Environment.GetEnvironmentVariable("TAGSTREAM_EXAMPLE_INTERVAL") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : 10;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

// Cell 1 - the streaming context with a 10 s batch interval: the stream is cut into micro-batches, and every
// result below is computed once per batch.
var options = new HashtagJobOptions { Interval = TimeSpan.FromSeconds(seconds), Top = 20 };

// Cell 2 - the socket text stream: lines of hashtags from the feed on localhost:9876. The socket source
// reconnects when the feed goes away and resumes where it stopped, so nothing in flight is lost.
await using var lines = new FeedSocketSource(new FeedSocketOptions
{
    Host = feed[..feed.LastIndexOf(':')],
    Port = int.Parse(feed[(feed.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture),
    UntilEof = maxBatches is not null,
});

// Cells 3 to 5 - flat-map each line into hashtags (split on whitespace), pair each hashtag with 1, and keep the
// running totals per hashtag across batches (Spark's updateStateByKey): the job does all three as it reads, on
// the UTF-8 bytes, and only the hashtags a batch touched are re-ranked.
await using var job = new HashtagJob(lines, options);

// Cell 6 - after each batch, the top 20: total descending, then hashtag ascending, as the notebook's
// "select hashtag, total from hashtags order by total desc, hashtag asc limit 20" (BatchResult.Top).
// Cell 7 - print TIME: and redraw the bar chart of those 20.
job.AddSink(new TextChartSink(Console.Out));
if (maxBatches is { } n)
{
    job.AddSink(new StopAfter(n, stop));
}

// Start the stream and wait until it ends (Ctrl+C, or the bounded run above).
await job.RunAsync(stop.Token);

/// <summary>Stops the job after a number of batches: the notebook's ssc.awaitTermination with a timeout.</summary>
sealed class StopAfter(int batches, CancellationTokenSource stop) : IBatchSink
{
    public ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken)
    {
        if (batch.Batch >= batches)
        {
            stop.Cancel();
        }

        return ValueTask.CompletedTask;
    }
}
