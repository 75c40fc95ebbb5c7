using Tagstream.Sources;

namespace Tagstream.Cli.Terminal;

/// <summary>Passes another source's chunks on unchanged, showing each to a callback first.</summary>
internal sealed class ObservedSource(PostSource inner, Action<PostChunk> observe) : PostSource
{
    public override string Name => inner.Name;

    public override async ValueTask<PostChunk> ReadAsync(CancellationToken cancellationToken)
    {
        PostChunk chunk = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        observe(chunk);
        return chunk;
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
