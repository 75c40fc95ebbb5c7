using System.Runtime.CompilerServices;

namespace Tagstream.Sources.Live.Transport;

/// <summary>
/// The connect-read-reconnect loop every live transport shares: open a connection, read payloads until it fails,
/// report the failure in one line, wait out the back-off for its kind, open again. Stops only when cancelled or when
/// a subclass throws <see cref="LiveSourceException"/> (retrying cannot help).
/// </summary>
/// <typeparam name="TConnection">One open connection.</typeparam>
/// <typeparam name="TPayload">One raw record of the stream.</typeparam>
internal abstract class ReconnectingStream<TConnection, TPayload>
    where TConnection : class, IDisposable
    where TPayload : class
{
    private readonly ReconnectBackoff _backoff = new();

    protected ReconnectingStream(LiveSourceContext context) => Context = context;

    protected LiveSourceContext Context { get; }

    /// <summary>Reads the stream's payloads, reconnecting as needed, until cancelled.</summary>
    /// <exception cref="LiveSourceException">A failure that retrying cannot fix, such as a rejected credential.</exception>
    public async IAsyncEnumerable<TPayload> ReadPayloadsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var (connection, failure) = await OpenAsync(cancellationToken).ConfigureAwait(false);
            if (connection is not null)
            {
                using (connection)
                {
                    _backoff.Reset();
                    while (true)
                    {
                        var (payload, endFailure) = await NextAsync(connection, cancellationToken).ConfigureAwait(false);
                        if (payload is null)
                        {
                            failure = endFailure;
                            break;
                        }

                        yield return payload;
                    }
                }
            }

            var delay = _backoff.Next(failure.Reason);
            Context.Problems.Report(failure.Kind, $"{failure.Message.TrimEnd('.')}; reconnecting in {Describe(delay)}.");
            await Context.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a connection, or says why it could not (to retry after a back-off).</summary>
    protected abstract Task<(TConnection? Connection, StreamFailure Failure)> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Reads the next payload, reporting and skipping bad records, or says why the connection ended.</summary>
    protected abstract ValueTask<(TPayload? Payload, StreamFailure Failure)> NextAsync(TConnection connection, CancellationToken cancellationToken);

    private static string Describe(TimeSpan delay) =>
        delay < TimeSpan.FromSeconds(1) ? $"{delay.TotalMilliseconds:0} ms" : $"{delay.TotalSeconds:0.##} s";
}
