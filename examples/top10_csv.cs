#:project ../src/Tagstream/Tagstream.csproj

// A custom sink: count a feed and write each batch's top 10 to a CSV file, one row per ranked hashtag.
//
//   tagstream feed --limit 10000 football &
//   dotnet run examples/top10_csv.cs -- top10.csv [HOST:PORT]
//
// It stops when the feed closes. TAGSTREAM_EXAMPLE_INTERVAL=SECONDS changes the 10 s interval.
using System.Globalization;
using Tagstream.Sources;
using Tagstream.Streaming;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: top10_csv.cs OUT.csv [HOST:PORT]");
    return 2;
}

string feed = args.Length > 1 ? args[1] : "127.0.0.1:9876";
double seconds = Environment.GetEnvironmentVariable("TAGSTREAM_EXAMPLE_INTERVAL") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : 10;

await using var source = new FeedSocketSource(new FeedSocketOptions
{
    Host = feed[..feed.LastIndexOf(':')],
    Port = int.Parse(feed[(feed.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture),
    UntilEof = true,
});
await using var job = new HashtagJob(source, new HashtagJobOptions { Interval = TimeSpan.FromSeconds(seconds), Top = 10 });
await using var csv = new CsvTopSink(args[0]);
job.AddSink(csv);
await job.RunAsync(CancellationToken.None);
Console.WriteLine($"{job.LastBatch?.Batch ?? 0} batches written to {args[0]}");
return 0;

/// <summary>Writes batch, time (ISO 8601 UTC), rank, hashtag and total for each of a batch's top hashtags.</summary>
sealed class CsvTopSink : IBatchSink, IAsyncDisposable
{
    private readonly StreamWriter _writer;

    public CsvTopSink(string path)
    {
        _writer = new StreamWriter(path);
        _writer.WriteLine("batch,time,rank,hashtag,total");
    }

    public async ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken)
    {
        for (int i = 0; i < batch.Top.Count; i++)
        {
            string time = batch.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            await _writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{batch.Batch},{time},{i + 1},{Quote(batch.Top[i].Hashtag)},{batch.Top[i].Total}").AsMemory(), cancellationToken);
        }

        await _writer.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    // RFC 4180: a field with a comma, quote or line break goes in quotes, its quotes doubled. Hashtags have none
    // of these from the feed's own extraction, but a protocol line may carry any token.
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
