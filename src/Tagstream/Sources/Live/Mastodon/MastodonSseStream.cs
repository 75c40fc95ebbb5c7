using System.Net.Http.Headers;
using System.Text;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live.Mastodon;

/// <summary>
/// Mastodon's streaming API over Server-Sent Events: <c>event:</c> and <c>data:</c> lines ended by a blank line,
/// <c>:</c> comments as heartbeats (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
/// </summary>
internal sealed class MastodonSseStream : ReconnectingStream<HttpStreamConnection, MastodonEvent>
{
    private readonly HttpClient _http;
    private readonly MastodonOptions _options;

    public MastodonSseStream(HttpClient http, MastodonOptions options, LiveSourceContext context)
        : base(context)
    {
        _http = http;
        _options = options;
    }

    internal Uri StreamUri() => new(_options.StreamingBase, _options.HashtagStream is { } tag
        ? $"api/v1/streaming/hashtag?tag={Uri.EscapeDataString(tag)}"
        : "api/v1/streaming/public");

    protected override async Task<(HttpStreamConnection? Connection, StreamFailure Failure)> OpenAsync(CancellationToken cancellationToken)
    {
        var uri = StreamUri();
        using var timeout = new CancellationTokenSource(_options.ReadTimeout, Context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage? response = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = LiveHttp.Bearer(_options.AccessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var detail = response.Headers.Location is { } location
                    ? $"to {location.GetLeftPart(UriPartial.Path)}"
                    : await LiveHttp.DescribeErrorBodyAsync(response, linked.Token).ConfigureAwait(false);
                if (LiveHttp.RetryReason(response.StatusCode) is not { } reason)
                {
                    throw new LiveSourceException(MastodonRefusals.Describe(response.StatusCode, uri.Host, _options.AccessToken, detail));
                }

                var code = (int)response.StatusCode;
                return (null, new StreamFailure(reason, $"mastodon.http-{code}",
                    $"{uri.Host} answered HTTP {code} {response.ReasonPhrase}{(detail.Length > 0 ? $" ({detail})" : "")}"));
            }

            var body = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            var connection = new HttpStreamConnection(response, new LineFramer(body, _options.MaxEventBytes, _options.ReadTimeout, Context.TimeProvider));
            response = null;
            return (connection, default);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, new StreamFailure(ReconnectReason.Network, "mastodon.timeout",
                $"{uri.Host} did not answer within {_options.ReadTimeout.TotalSeconds:0.##} s"));
        }
        catch (HttpRequestException e)
        {
            return (null, new StreamFailure(ReconnectReason.Network, "mastodon.network", $"connecting to {uri.Host} failed: {e.Message}"));
        }
        finally
        {
            response?.Dispose();
        }
    }

    protected override async ValueTask<(MastodonEvent? Payload, StreamFailure Failure)> NextAsync(HttpStreamConnection connection, CancellationToken cancellationToken)
    {
        string? name = null;
        StringBuilder? data = null;
        var broken = false;
        while (true)
        {
            (LineStatus status, byte[] line, StreamFailure? failure) =
                await connection.ReadLineAsync("mastodon", "a heartbeat", _options.ReadTimeout, cancellationToken).ConfigureAwait(false);
            if (failure is { } lost)
            {
                return (null, lost);
            }

            switch (status)
            {
                case LineStatus.End when data is null && name is null:
                    return (null, new StreamFailure(ReconnectReason.Network, "mastodon.closed", "the server closed the stream"));
                case LineStatus.End or LineStatus.EndMidLine:
                    return (null, new StreamFailure(ReconnectReason.Network, "mastodon.closed-mid-event",
                        "the stream closed in the middle of an event (the partial event was dropped)"));
                case LineStatus.Oversized:
                    broken = true;
                    continue;
            }

            if (line.Length == 0)
            {
                if (broken)
                {
                    Context.Problems.Report("mastodon.oversized", $"skipped an event longer than {_options.MaxEventBytes} bytes");
                }
                else if (data is not null)
                {
                    return (new MastodonEvent(name ?? "message", data.ToString()), default);
                }

                (name, data, broken) = (null, null, false);
                continue;
            }

            if (line[0] == (byte)':')
            {
                continue; // A comment: the opening ":)" or the ":thump" heartbeat.
            }

            var text = Encoding.UTF8.GetString(line);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? text : text[..colon];
            var value = colon < 0 ? "" : text[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "data":
                    data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
                    break;
                case "id" or "retry":
                    break;
                default:
                    Context.Problems.Report("mastodon.sse-garbage", $"skipped a line that is not Server-Sent Events (field \"{Truncate(field)}\")");
                    break;
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");
}
