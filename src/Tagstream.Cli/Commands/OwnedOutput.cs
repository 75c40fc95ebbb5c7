namespace Tagstream.Cli.Commands;

/// <summary>A sink and the writer it writes through, disposed in that order.</summary>
internal sealed class OwnedOutput(IAsyncDisposable sink, IAsyncDisposable writer) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await sink.DisposeAsync().ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);
    }
}
