using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Tagstream.Sources.Live.Transport;

/// <summary>HTTP plumbing shared by the streaming sources: the client, the status policy, error bodies.</summary>
internal static class LiveHttp
{
    private const int MaxDetailChars = 300;

    /// <summary>A client for long-lived streams: no overall timeout (the read timeout guards the stream), a connect timeout.</summary>
    public static HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            // Redirects would drop the Authorization header; a stream that redirects is reported instead.
            AllowAutoRedirect = false,
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Tagstream", "0.1"));
        return client;
    }

    /// <summary>The bearer header for a token; the only place a token is revealed.</summary>
    public static AuthenticationHeaderValue Bearer(SecretToken token) => new("Bearer", token.Reveal());

    /// <summary>
    /// How to react to a failed status: null when retrying cannot help (401, 403, 404 and other client errors, which
    /// stop the source), otherwise the back-off schedule to follow.
    /// </summary>
    public static ReconnectReason? RetryReason(HttpStatusCode status) => (int)status switch
    {
        429 or 420 => ReconnectReason.RateLimited,
        408 or >= 500 => ReconnectReason.Http,
        _ => null,
    };

    /// <summary>
    /// A short, single-line summary of an error body (JSON <c>title</c>/<c>detail</c>/<c>error</c> fields, else the
    /// start of the text), for messages. Empty when the body says nothing useful.
    /// </summary>
    public static async Task<string> DescribeErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return "";
        }

        return DescribeErrorBody(body);
    }

    internal static string DescribeErrorBody(string body)
    {
        body = body.Trim();
        if (body.Length == 0)
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var parts = new List<string>();
                foreach (var name in (ReadOnlySpan<string>)["title", "error", "detail", "reason", "connection_issue"])
                {
                    if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String &&
                        value.GetString() is { Length: > 0 } text && !parts.Contains(text))
                    {
                        parts.Add(text);
                    }
                }

                if (parts.Count > 0)
                {
                    return Shorten(string.Join(": ", parts));
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall back to the text itself.
        }

        return Shorten(body);
    }

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxDetailChars ? text : string.Concat(text.AsSpan(0, MaxDetailChars), "...");
    }
}
