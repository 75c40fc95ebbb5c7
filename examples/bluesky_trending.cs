#:project ../src/Tagstream/Tagstream.csproj

// What is trending on Bluesky: posts from Bluesky's Jetstream (filtered by the terms, if any), counted in 10 s
// batches, with a 5-minute sliding window; after each batch, the hashtags whose rate in the window rises most
// against their longer-term rate (score = (window + a) / (expected + a), see docs/trending.md).
//
//   dotnet run examples/bluesky_trending.cs -- [TERM...] [--jetstream-url wss://...]
//
// TAGSTREAM_EXAMPLE_POSTS=N stops after N posts (tests point --jetstream-url at a local fake Jetstream);
// TAGSTREAM_EXAMPLE_INTERVAL=SECONDS changes the 10 s interval. Ctrl+C stops it.
using System.Globalization;
using Tagstream;
using Tagstream.Sources;
using Tagstream.Sources.Live;
using Tagstream.Sources.Live.Bluesky;
using Tagstream.Sources.Live.Transport;
using Tagstream.Streaming;

var terms = new List<string>();
Uri url = JetstreamOptions.DefaultUrl;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--jetstream-url" && i + 1 < args.Length && Uri.TryCreate(args[++i], UriKind.Absolute, out Uri? given) && given.Scheme is "ws" or "wss")
    {
        url = given;
    }
    else if (args[i].StartsWith('-'))
    {
        Console.Error.WriteLine("usage: bluesky_trending.cs [TERM...] [--jetstream-url ws(s)://HOST/subscribe]");
        return 2;
    }
    else
    {
        terms.Add(args[i]);
    }
}

long? maxPosts = Environment.GetEnvironmentVariable("TAGSTREAM_EXAMPLE_POSTS") is { } p ? long.Parse(p, CultureInfo.InvariantCulture) : null;
double seconds = Environment.GetEnvironmentVariable("TAGSTREAM_EXAMPLE_INTERVAL") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : 10;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

// The live source: connection problems and skipped records are reported as one line each on stderr.
var status = new Progress<SourceStatus>(status => Console.Error.WriteLine($"{status.Source}: {status.Message}"));
PostSource bluesky = LiveSource.CreateBluesky(
    new JetstreamOptions { Url = url, Terms = terms },
    new LiveSourceContext { Problems = new ProblemReporter("bluesky", status, TimeProvider.System) });

// All-time totals plus a 5-minute window that slides by one batch, and the trending ranking over it.
var options = new HashtagJobOptions { Interval = TimeSpan.FromSeconds(seconds), Window = TimeSpan.FromMinutes(5), Trending = true, Top = 10 };
await using var job = new HashtagJob(maxPosts is { } n ? new LimitedSource(bluesky, n) : bluesky, options, status);
job.AddSink(new TrendingPrinter());
await job.RunAsync(stop.Token);
return 0;

/// <summary>Prints each batch's trending hashtags: score, count in the window, all-time total.</summary>
sealed class TrendingPrinter : IBatchSink
{
    public ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken)
    {
        Console.WriteLine($"TIME: {batch.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss}  ({batch.TotalPosts} posts)");
        int rank = 0;
        foreach (TrendingHashtag tag in batch.Trending ?? [])
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{++rank,2} {tag.Hashtag} score {tag.Score:F2} window {tag.WindowCount} total {tag.Total}"));
        }

        return ValueTask.CompletedTask;
    }
}
