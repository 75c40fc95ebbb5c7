using Tagstream.Sources.Lines;

namespace Tagstream.Sources;

/// <summary>Ends another source after a number of posts, as the original feed stopped at its limit.</summary>
public sealed class LimitedSource : PostSource
{
    private readonly PostSource _inner;
    private readonly long _limit;
    private long _posts;

    /// <summary>Passes on the first <paramref name="limit"/> posts of <paramref name="inner"/>, which it disposes.</summary>
    public LimitedSource(PostSource inner, long limit)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _inner = inner;
        _limit = limit;
    }

    /// <inheritdoc />
    public override string Name => _inner.Name;

    /// <summary>Posts passed on so far.</summary>
    public long Posts => _posts;

    /// <inheritdoc />
    public override async ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken)
    {
        if (_posts >= _limit)
        {
            return new PostChunk(ReadOnlyMemory<byte>.Empty, null, 0, null, IsFinal: true);
        }

        PostChunk chunk = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        ReadOnlySpan<byte> span = chunk.Lines.Span;
        int end = ProtocolLines.TakeLines(span, _limit - _posts, out long taken);
        _posts += taken;
        if (end == span.Length && _posts < _limit)
        {
            return chunk;
        }

        // The limit falls inside this chunk: pass on its first lines only. Their position is unknown within the
        // chunk, and a limited run is not resumed, so none is given.
        IReadOnlyList<Post>? posts = chunk.Posts is { } all ? [.. all.Take((int)taken)] : null;
        return new PostChunk(chunk.Lines[..end], posts, chunk.SkippedLines, null, IsFinal: true);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
