using Xunit;
using System.Text;

namespace Tagstream.Tests.Dashboard;

/// <summary>A minimal Server-Sent Events client over a real HTTP connection, reading one event at a time.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpClient client, HttpResponseMessage response, StreamReader reader)
    {
        _client = client;
        _response = response;
        _reader = reader;
    }

    public static async Task<SseReader> OpenAsync(Uri server, string path, CancellationToken cancellationToken)
    {
        var client = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new SseReader(client, response, new StreamReader(stream, Encoding.UTF8));
    }

    public async Task<SseMessage> ReadEventAsync(CancellationToken cancellationToken)
    {
        string? name = null, id = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return new SseMessage(name ?? "message", id, data.ToString());
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "data":
                    data.Append(value);
                    break;
            }
        }

        throw new EndOfStreamException("The event stream ended.");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
