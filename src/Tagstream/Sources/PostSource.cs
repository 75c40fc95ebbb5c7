namespace Tagstream.Sources;

/// <summary>
/// The seam every input goes through: synthetic, replay, stdin, a feed socket and the live services.
/// A source yields chunks of protocol lines; the feed forwards them to its clients and the counter counts them.
/// </summary>
/// <remarks>
/// A source is read by one consumer at a time: <see cref="ReadAsync"/> is never called again before the previous
/// call completed, and the chunk it returned is invalid once it is called again.
/// </remarks>
public abstract class PostSource : IAsyncDisposable
{
    /// <summary>A short name for messages and the dashboard, for example <c>synthetic</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Reads the next chunk of posts, waiting until there is one or the source ends.</summary>
    /// <param name="cancellationToken">Stops the wait; the source can still be read afterwards.</param>
    public abstract ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
