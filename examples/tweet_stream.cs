#:project ../src/Tagstream/Tagstream.csproj

// The original feed script as a .NET file-based app: serve the hashtags of posts on a TCP socket, one line per
// post, to whoever connects; print each post; stop at the limit.
//
//   dotnet run examples/tweet_stream.cs -- 1000 football             # synthetic posts, 20 a second
//   dotnet run examples/tweet_stream.cs -- 1000 football --source bluesky
//
// Options: --port N (9876; 0 picks a free one), --rate N (synthetic posts per second), --source synthetic|bluesky,
// --jetstream-url URL (another Jetstream, e.g. a local test server). Ctrl+C stops it cleanly.
using System.Globalization;
using System.Text;
using Tagstream.Feed;
using Tagstream.Sources;
using Tagstream.Sources.Live;
using Tagstream.Sources.Live.Bluesky;
using Tagstream.Sources.Live.Transport;
using Tagstream.Sources.Synthetic;

// The arguments, as the original took them: the number of posts, then the search terms.
var terms = new List<string>();
string sourceName = "synthetic";
int port = 9876;
double rate = 20;
Uri? jetstreamUrl = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--source": sourceName = args[++i]; break;
        case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rate": rate = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--jetstream-url": jetstreamUrl = new Uri(args[++i]); break;
        default: terms.Add(args[i]); break;
    }
}

if (terms.Count == 0 || !long.TryParse(terms[0], CultureInfo.InvariantCulture, out long limit) || limit < 1)
{
    Console.Error.WriteLine("usage: tweet_stream.cs LIMIT [TERM...] [--source synthetic|bluesky] [--port N] [--rate N] [--jetstream-url URL]");
    return 2;
}

terms.RemoveAt(0);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

// The social source, filtered by the terms. Nothing is read from it until a client connects.
var status = new Progress<SourceStatus>(s => Console.Error.WriteLine($"{s.Source}: {s.Message}"));
PostSource source = sourceName switch
{
    "synthetic" => new SyntheticSource(new SyntheticOptions { Terms = terms, Rate = rate }),
    "bluesky" => LiveSource.CreateBluesky(
        new JetstreamOptions { Terms = terms, Url = jetstreamUrl ?? JetstreamOptions.DefaultUrl },
        new LiveSourceContext { Problems = new ProblemReporter("bluesky", status, TimeProvider.System) }),
    _ => throw new ArgumentException($"Unknown source '{sourceName}': use synthetic or bluesky."),
};

// Every post counts toward the limit, with or without hashtags; printing each post shows what is sent.
await using var posts = new ObservedSource(new LimitedSource(source, limit), PrintPosts);

// The TCP server on localhost: it waits for a client, then sends each post's hashtags as one line.
await using var server = new FeedServer(new FeedServerOptions { Port = port }, new ConnectionPrinter());
Console.WriteLine($"Waiting for connection on {server.Start()}");
long sent = await server.RunAsync(posts, stop.Token);
Console.WriteLine($"Sent {sent} posts; connections closed.");
return 0;

// The original printed the screen name and the hashtags of every post it sent.
static void PrintPosts(PostChunk chunk)
{
    ReadOnlySpan<byte> bytes = chunk.Lines.Span;
    int count = bytes.Count((byte)'\n') + (bytes.IsEmpty || bytes[^1] == (byte)'\n' ? 0 : 1);
    string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
    for (int i = 0; i < count; i++)
    {
        Post? post = chunk.Posts is { } described && i < described.Count ? described[i] : null;
        Console.WriteLine($"Screen name: {post?.Author ?? "unknown"}:");
        Console.WriteLine($"   Hashtags: {lines[i].TrimEnd('\r')}");
    }
}

/// <summary>Prints each client as it connects, as the original did, and each one that goes away.</summary>
sealed class ConnectionPrinter : IFeedObserver
{
    public void ClientConnected(System.Net.EndPoint client, long? resumedAt) => Console.WriteLine($"Connection received from {client}");

    public void ClientDropped(System.Net.EndPoint client, string reason) => Console.WriteLine($"Error: {client}: {reason}");
}
