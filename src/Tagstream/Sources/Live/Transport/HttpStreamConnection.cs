namespace Tagstream.Sources.Live.Transport;

/// <summary>One open streaming HTTP response (X, Mastodon SSE) and its line framer.</summary>
internal sealed class HttpStreamConnection : IDisposable
{
    public HttpStreamConnection(HttpResponseMessage response, LineFramer lines)
    {
        Response = response;
        Lines = lines;
    }

    public HttpResponseMessage Response { get; }

    public LineFramer Lines { get; }

    /// <summary>
    /// Reads the next line; a silent or broken stream becomes a network failure to reconnect after, named
    /// <c>SOURCE.idle</c> or <c>SOURCE.network</c>.
    /// </summary>
    /// <param name="source">The failure kinds' prefix, for example <c>x</c>.</param>
    /// <param name="heartbeat">What the server sends while idle, for the message: "a keep-alive", "a heartbeat".</param>
    /// <param name="readTimeout">The silence allowed, for the message.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public async ValueTask<(LineStatus Status, byte[] Line, StreamFailure? Failure)> ReadLineAsync(
        string source, string heartbeat, TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        try
        {
            (LineStatus status, byte[] line) = await Lines.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            return (status, line, null);
        }
        catch (TimeoutException)
        {
            return (default, [], new StreamFailure(ReconnectReason.Network, source + ".idle",
                $"the stream sent nothing, not even {heartbeat}, for {readTimeout.TotalSeconds:0.##} s"));
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return (default, [], new StreamFailure(ReconnectReason.Network, source + ".network", $"the stream connection failed: {e.Message}"));
        }
    }

    public void Dispose() => Response.Dispose();
}
