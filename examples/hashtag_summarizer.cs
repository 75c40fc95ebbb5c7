#:project ../src/Tagstream/Tagstream.csproj

// The original Spark Streaming notebook, cell by cell, as a .NET file-based app. Start a feed first:
//
//   tagstream feed --limit 1000 football        (or: dotnet run examples/tweet_stream.cs -- 1000 football)
//   dotnet run examples/hashtag_summarizer.cs   (optionally: -- HOST:PORT, default 127.0.0.1:9876)
//
// It checkpoints into ./hashtag_summarizer_checkpoint: run it again and it goes on from the totals it had.
// TAGSTREAM_EXAMPLE_BATCHES=N stops after N batches, or when the feed closes, whichever comes first (CI uses it);
// TAGSTREAM_EXAMPLE_INTERVAL=SECONDS changes the 10 s interval.
using System.Globalization;
using Tagstream;
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
var options = new HashtagJobOptions { Interval = TimeSpan.FromSeconds(seconds) };

// Cell 2 - the checkpoint folder: each batch commits its changes there, and a restart recovers the totals and
// resumes the feed from the position stored with them (the notebook wrote one but never recovered from it).
options = options with { CheckpointDirectory = "hashtag_summarizer_checkpoint" };

// Cell 3 - the socket text stream: lines of hashtags from the feed on localhost:9876, opened at the position the
// checkpoint reached; the source reconnects when the feed goes away and resumes where it stopped.
Func<SourcePosition?, PostSource> socketTextStream = resumeAt => new FeedSocketSource(new FeedSocketOptions
{
    Host = feed[..feed.LastIndexOf(':')],
    Port = int.Parse(feed[(feed.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture),
    ResumeFrom = resumeAt,
    UntilEof = maxBatches is not null,
});

// Cells 4 to 6 - flat-map each line into hashtags (split on whitespace), pair each hashtag with 1, and keep the
// running totals per hashtag across batches (updateStateByKey): the job does all three as it reads, on the UTF-8
// bytes, and only the hashtags a batch touched are re-ranked.
// Cell 7 - after each batch, Spark SQL's top 20 over the running totals, table hashtags(hashtag, total).
options = options with { Sql = "select hashtag, total from hashtags order by total desc, hashtag asc limit 20" };
await using var job = new HashtagJob(socketTextStream, options);

// Cell 7, continued - print TIME: and redraw the bar chart of the query's 20 rows.
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
