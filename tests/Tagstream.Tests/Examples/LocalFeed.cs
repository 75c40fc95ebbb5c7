using System.Net;
using Tagstream.Feed;
using Tagstream.Sources;
using Tagstream.Sources.Synthetic;
using Tagstream.Tests.Cli;
using Tagstream.Tests.Counting;

namespace Tagstream.Tests.Examples;

/// <summary>
/// A seeded synthetic feed served in-process by the library's <see cref="FeedServer"/> on a free loopback port; it
/// sends <c>posts</c> posts to the first client, then closes. <see cref="Reference"/> counts the same posts naively.
/// </summary>
internal sealed class LocalFeed : IAsyncDisposable
{
    private readonly FeedServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<long> _run;

    private LocalFeed(SyntheticOptions options, int posts, NaiveReference reference)
    {
        _server = new FeedServer(new FeedServerOptions { Port = 0 });
        EndPoint = _server.Start();
        Reference = reference;
        _run = _server.RunAsync(new LimitedSource(new SyntheticSource(options), posts), _stop.Token);
    }

    public IPEndPoint EndPoint { get; }

    public string Address => $"127.0.0.1:{EndPoint.Port}";

    public NaiveReference Reference { get; }

    /// <summary>Starts a feed of <paramref name="posts"/> posts at <paramref name="rate"/> posts a second.</summary>
    public static async Task<LocalFeed> StartAsync(int posts, double rate, ulong seed = 42)
    {
        var options = new SyntheticOptions { Seed = seed, Vocabulary = 2_000, Terms = ["football"] };
        NaiveReference reference = SyntheticReference.Count(await SyntheticReference.LinesAsync(options, posts));
        return new LocalFeed(options with { Rate = rate }, posts, reference);
    }

    /// <summary>Waits until the feed has sent everything and closed its client; returns the posts sent.</summary>
    public Task<long> CompletionAsync() => _run;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Stopped before a client came.
        }

        await _server.DisposeAsync();
        _stop.Dispose();
    }
}
