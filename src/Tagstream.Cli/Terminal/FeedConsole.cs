using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Tagstream.Feed;
using Tagstream.Sources;

namespace Tagstream.Cli.Terminal;

/// <summary>
/// The feed's console: connection messages and, as the original printed them, each post's screen name and hashtags.
/// </summary>
/// <remarks>
/// Printing never slows the stream. Lines go through a bounded queue to a background writer and are dropped when it
/// is full; at most <see cref="PostsPerSecond"/> posts are printed each second, and when more arrive a one-line
/// rate summary is printed each second instead of the posts above the budget.
/// </remarks>
internal sealed class FeedConsole : IFeedObserver, IAsyncDisposable
{
    public const int PostsPerSecond = 50;

    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(1024)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly TextWriter _writer;
    private readonly bool _quiet;
    private readonly TimeProvider _timeProvider;
    private readonly Task _writerLoop;
    private long _secondStart;
    private long _printedThisSecond;
    private long _postsThisSecond;
    private long _posts;

    public FeedConsole(TextWriter writer, bool quiet, TimeProvider timeProvider)
    {
        _writer = writer;
        _quiet = quiet;
        _timeProvider = timeProvider;
        _secondStart = timeProvider.GetTimestamp();
        _writerLoop = WriteLoopAsync();
    }

    public void Print(string line) => _lines.Writer.TryWrite(line);

    public void ClientConnected(EndPoint client, long? resumedAt) => Print(resumedAt is { } line
        ? string.Create(CultureInfo.InvariantCulture, $"Connection received from {client} (resuming at line {line})")
        : $"Connection received from {client}");

    public void ClientDropped(EndPoint client, string reason) => Print($"Error: client {client}: {reason}");

    /// <summary>Notes the posts of a chunk about to be sent, printing those within the budget.</summary>
    public void Posts(PostChunk chunk)
    {
        ReadOnlySpan<byte> lines = chunk.Lines.Span;
        long count = lines.Count((byte)'\n') + (lines.IsEmpty || lines[^1] == (byte)'\n' ? 0 : 1);
        _posts += count;
        _postsThisSecond += count;
        if (!_quiet)
        {
            int index = 0;
            while (!lines.IsEmpty && _printedThisSecond < PostsPerSecond)
            {
                int newline = lines.IndexOf((byte)'\n');
                ReadOnlySpan<byte> line = newline < 0 ? lines : lines[..newline];
                lines = newline < 0 ? default : lines[(newline + 1)..];
                Post? post = chunk.Posts is { } posts && index < posts.Count ? posts[index] : null;
                index++;
                string tags = Encoding.UTF8.GetString(line).Trim();
                Print($"Screen name: {post?.Author ?? "unknown"}:\n   Hashtags: {tags}");
                _printedThisSecond++;
            }
        }

        TimeSpan elapsed = _timeProvider.GetElapsedTime(_secondStart);
        if (elapsed >= TimeSpan.FromSeconds(1))
        {
            if (_postsThisSecond > _printedThisSecond || _quiet)
            {
                Print(string.Create(CultureInfo.InvariantCulture, $"... {_postsThisSecond / elapsed.TotalSeconds:N0} posts/s, {_posts:N0} posts sent"));
            }

            _secondStart = _timeProvider.GetTimestamp();
            _printedThisSecond = 0;
            _postsThisSecond = 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        await foreach (string line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _writer.WriteLineAsync(line).ConfigureAwait(false);
            if (_lines.Reader.Count == 0)
            {
                await _writer.FlushAsync().ConfigureAwait(false);
            }
        }

        await _writer.FlushAsync().ConfigureAwait(false);
    }
}
