namespace Tagstream.Sources;

/// <summary>
/// Passes another source's chunks on unchanged, showing each one to a callback first: to print or tally the posts
/// on their way to a feed server or a counting job.
/// </summary>
/// <remarks>The callback runs on the reading path: keep it short, or it slows the stream.</remarks>
public sealed class ObservedSource : PostSource
{
    private readonly PostSource _inner;
    private readonly Action<PostChunk> _observe;

    /// <summary>Wraps <paramref name="inner"/>; disposing this source disposes it.</summary>
    /// <param name="inner">The source read.</param>
    /// <param name="observe">Called with each chunk before it is returned.</param>
    public ObservedSource(PostSource inner, Action<PostChunk> observe)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(observe);
        _inner = inner;
        _observe = observe;
    }

    /// <inheritdoc />
    public override string Name => _inner.Name;

    /// <inheritdoc />
    public override async ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken)
    {
        PostChunk chunk = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _observe(chunk);
        return chunk;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
