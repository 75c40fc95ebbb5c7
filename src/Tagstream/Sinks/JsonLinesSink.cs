using Tagstream.Streaming;

namespace Tagstream.Sinks;

/// <summary>Writes each batch as one line of JSON (see <see cref="BatchJson"/>) to a stream, flushed per batch.</summary>
public sealed class JsonLinesSink : IBatchSink
{
    private static readonly byte[] s_newline = [(byte)'\n'];
    private readonly Stream _stream;

    /// <summary>Writes to <paramref name="stream"/>, which stays open.</summary>
    public JsonLinesSink(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <inheritdoc />
    public async ValueTask OnBatchAsync(BatchResult batch, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(BatchJson.Serialize(batch), cancellationToken).ConfigureAwait(false);
        await _stream.WriteAsync(s_newline, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
