#:project ../src/Tagstream/Tagstream.csproj
using Tagstream;
using Tagstream.Sources;
using Tagstream.Sources.Parsing;
using Tagstream.Sources.Replay;
using Tagstream.Streaming;

// Count the hashtags of a recorded file once and print the top 20.
//
//   dotnet run examples/count_file.cs -- posts.jsonl [FORMAT]
//
// The file may hold protocol lines (as `tagstream gen` writes them) or posts recorded from a service (X, Bluesky
// Jetstream, Mastodon, plain texts). FORMAT is one of auto (the default: detected from the first lines), protocol,
// x, v11, jetstream, mastodon-sse, mastodon-ws, text, jsonl-text.

if (args.Length is < 1 or > 2 || !File.Exists(args[0]) || !PostFormatNames.TryParse(args.Length > 1 ? args[1] : "auto", out PostFormat format))
{
    Console.Error.WriteLine($"usage: count_file.cs FILE [{string.Join('|', PostFormatNames.All)}] (FILE: an existing file)");
    return 2;
}

// Read the file as fast as possible; the job ends when the file does. Protocol lines are counted as they are;
// recorded posts go through hashtag extraction first.
if (format == PostFormat.Auto)
{
    format = PostFormatDetector.DetectFile(args[0]);
}

await using PostSource source = format == PostFormat.Protocol
    ? ProtocolStreamSource.OpenFile(args[0])
    : RecordedFileSource.Open(args[0], format, ReplaySpeed.Max, TimeProvider.System);

// One batch for the whole file: the interval is longer than any read.
await using var job = new HashtagJob(source, new HashtagJobOptions { Interval = TimeSpan.FromDays(1), Top = 20 });
await job.RunAsync(CancellationToken.None);

// The last batch holds the final totals, ranked by total descending, then hashtag.
BatchResult result = job.LastBatch!;
Console.WriteLine($"{result.TotalPosts} posts, {result.TotalTags} hashtags, {result.DistinctTags} distinct, {result.Malformed} malformed");
int rank = 0;
foreach (HashtagCount entry in result.Top)
{
    Console.WriteLine($"{++rank,2} {entry.Hashtag} {entry.Total}");
}

return 0;
