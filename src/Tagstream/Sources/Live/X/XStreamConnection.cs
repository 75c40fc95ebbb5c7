namespace Tagstream.Sources.Live.X;

/// <summary>One open filtered-stream response and its line framer.</summary>
internal sealed class XStreamConnection : IDisposable
{
    public XStreamConnection(HttpResponseMessage response, LineFramer lines)
    {
        Response = response;
        Lines = lines;
    }

    public HttpResponseMessage Response { get; }

    public LineFramer Lines { get; }

    public void Dispose() => Response.Dispose();
}
