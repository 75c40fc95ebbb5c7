namespace Tagstream.Sources.Live;

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

    public void Dispose() => Response.Dispose();
}
