using System.Buffers;
using System.Threading.Channels;
using Tagstream.Sources.Lines;
using Tagstream.Sources.Live.Bluesky;
using Tagstream.Sources.Live.Mastodon;
using Tagstream.Sources.Live.Transport;
using Tagstream.Sources.Live.X;
using Tagstream.Sources.Parsing;

namespace Tagstream.Sources.Live;

/// <summary>
/// A live service as a <see cref="PostSource"/>: X's filtered stream, Bluesky's Jetstream or a Mastodon stream. The
/// connection opens on the first read (the feed connects to the service only once a client is there), runs in the
/// background, reconnects on its own and reports problems through <see cref="LiveSourceContext.Problems"/>.
/// </summary>
/// <remarks>
/// A live stream never ends by itself: <see cref="ReadAsync"/> waits for the next posts until cancelled, or throws
/// <see cref="LiveSourceException"/> when going on makes no sense (a rejected credential).
/// </remarks>
public sealed class LiveSource : PostSource
{
    private const int MaxRecordsPerChunk = 256;

    private readonly Func<CancellationToken, IAsyncEnumerable<LiveItem>> _items;
    private readonly LiveSourceContext _context;
    private readonly IDisposable? _owned;
    private readonly Channel<LiveItem> _channel = Channel.CreateBounded<LiveItem>(
        new BoundedChannelOptions(4096) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ArrayBufferWriter<byte> _lines = new();
    private readonly List<Post> _posts = [];
    private Task? _pump;

    private LiveSource(string name, Func<CancellationToken, IAsyncEnumerable<LiveItem>> items, LiveSourceContext context, IDisposable? owned)
    {
        Name = name;
        _items = items;
        _context = context;
        _owned = owned;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>The X API v2 filtered stream for the options' terms (X filters the posts).</summary>
    public static LiveSource CreateX(XStreamOptions options, LiveSourceContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        XRule.Build(options.Terms, options.Language); // Fails now, not on the first read, when there is no term.
        var http = LiveHttp.CreateClient();
        var stream = new XFilteredStream(http, options, context);
        return new LiveSource(XApiV2Parser.SourceName, token => LiveItems.FromXAsync(stream, context.Problems, token), context, http);
    }

    /// <summary>Bluesky's Jetstream, filtered here by the options' terms and language; positions are (host, <c>time_us</c>).</summary>
    public static LiveSource CreateBluesky(JetstreamOptions options, LiveSourceContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var stream = new JetstreamStream(options, context);
        var filter = new PostFilter(options.Terms, options.Language);
        return new LiveSource(JetstreamParser.SourceName, token => LiveItems.FromJetstreamAsync(stream, filter, context.Problems, token), context, null);
    }

    /// <summary>
    /// A Mastodon stream: the hashtag stream of a single term (filtered by the instance), else the public stream
    /// filtered here by the terms; and by language when asked.
    /// </summary>
    public static LiveSource CreateMastodon(MastodonOptions options, LiveSourceContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var filter = new PostFilter(options.HashtagStream is null ? options.Terms : [], options.Language);
        if (options.Transport == MastodonTransport.WebSocket)
        {
            var socketStream = new MastodonWebSocketStream(options, context);
            return new LiveSource(MastodonParser.SourceName, token => LiveItems.FromMastodonAsync(socketStream.ReadPayloadsAsync(token), filter, context.Problems, token), context, null);
        }

        var http = LiveHttp.CreateClient();
        var sseStream = new MastodonSseStream(http, options, context);
        return new LiveSource(MastodonParser.SourceName, token => LiveItems.FromMastodonAsync(sseStream.ReadPayloadsAsync(token), filter, context.Problems, token), context, http);
    }

    /// <inheritdoc />
    public override async ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken)
    {
        _lines.ResetWrittenCount();
        _posts.Clear();
        long skipped = 0;
        SourcePosition? position = null;
        while (_posts.Count == 0)
        {
            if (await ReadItemAsync(cancellationToken).ConfigureAwait(false) is not { } first)
            {
                return new PostChunk(ReadOnlyMemory<byte>.Empty, [], skipped, position, IsFinal: true);
            }

            // Take what else has arrived already, so a fast stream travels in chunks rather than post by post.
            for (var item = first; item is not null; item = _posts.Count + skipped < MaxRecordsPerChunk && _channel.Reader.TryRead(out var next) ? next : null)
            {
                position = item.Position ?? position;
                if (item.Post is null)
                {
                    skipped++;
                    continue;
                }

                ProtocolLineEncoder.Append(_lines, item.Post.Hashtags);
                _posts.Add(item.Post);
            }

            if (skipped > 0 && _posts.Count == 0)
            {
                return new PostChunk(ReadOnlyMemory<byte>.Empty, [], skipped, position, IsFinal: false);
            }
        }

        return new PostChunk(_lines.WrittenMemory, _posts, skipped, position, IsFinal: false);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _context.Problems.Flush();
        _owned?.Dispose();
        _lifetime.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reads the next record, starting the connection on the first call; null if the stream ended.</summary>
    /// <exception cref="LiveSourceException">The stream stopped for good.</exception>
    internal async ValueTask<LiveItem?> ReadItemAsync(CancellationToken cancellationToken)
    {
        _pump ??= Task.Run(PumpAsync, CancellationToken.None);
        while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_channel.Reader.TryRead(out var item))
            {
                return item;
            }
        }

        return null;
    }

    /// <summary>
    /// Moves records from the connection to the channel in the background, so a cancelled read loses nothing and the
    /// connection keeps going between reads; a fatal failure reaches the reader through the channel.
    /// </summary>
    private async Task PumpAsync()
    {
        try
        {
            await foreach (var item in _items(_lifetime.Token).ConfigureAwait(false))
            {
                await _channel.Writer.WriteAsync(item, _lifetime.Token).ConfigureAwait(false);
            }

            _channel.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            _channel.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _channel.Writer.TryComplete(e);
        }
    }
}
