using System.Net.Http.Headers;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live.X;

/// <summary>
/// The X API v2 filtered stream as a sequence of raw post payloads (one JSON object per line, UTF-8, no line ending):
/// syncs the rules once, connects, skips keep-alives, handles in-stream error objects and reconnects with X's back-off.
/// </summary>
/// <remarks>https://docs.x.com/x-api/posts/filtered-stream/introduction</remarks>
internal sealed class XFilteredStream : ReconnectingStream<HttpStreamConnection, byte[]>
{
    /// <summary>Asks for the fields the post parser needs: entities for hashtags, note_tweet for long posts, the author's username.</summary>
    internal const string StreamPath =
        "2/tweets/search/stream?tweet.fields=entities,lang,created_at,note_tweet&expansions=author_id&user.fields=username";

    private readonly HttpClient _http;
    private readonly XStreamOptions _options;
    private readonly XRuleSync _rules;
    private bool _rulesSynced;

    public XFilteredStream(HttpClient http, XStreamOptions options, LiveSourceContext context)
        : base(context)
    {
        _http = http;
        _options = options;
        _rules = new XRuleSync(http, options, context);
    }

    protected override async Task<(HttpStreamConnection? Connection, StreamFailure Failure)> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_rulesSynced)
        {
            if (await _rules.SyncAsync(cancellationToken).ConfigureAwait(false) is { } ruleFailure)
            {
                return (null, ruleFailure);
            }

            _rulesSynced = true;
        }

        using var timeout = new CancellationTokenSource(_options.ReadTimeout, Context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage? response = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.BaseUrl, StreamPath));
            request.Headers.Authorization = LiveHttp.Bearer(_options.BearerToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (await XResponses.CheckAsync(response, "connecting to the stream", _options.BearerToken, linked.Token).ConfigureAwait(false) is { } failure)
            {
                response.Dispose();
                return (null, failure);
            }

            var body = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            var connection = new HttpStreamConnection(response, new LineFramer(body, _options.MaxRecordBytes, _options.ReadTimeout, Context.TimeProvider));
            response = null;
            return (connection, default);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, new StreamFailure(ReconnectReason.Network, "x.timeout", $"the stream did not answer within {_options.ReadTimeout.TotalSeconds:0.##} s"));
        }
        catch (HttpRequestException e)
        {
            return (null, new StreamFailure(ReconnectReason.Network, "x.network", $"connecting to the stream failed: {e.Message}"));
        }
        finally
        {
            response?.Dispose();
        }
    }

    protected override async ValueTask<(byte[]? Payload, StreamFailure Failure)> NextAsync(HttpStreamConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            (LineStatus status, byte[] line, StreamFailure? failure) =
                await connection.ReadLineAsync("x", "a keep-alive", _options.ReadTimeout, cancellationToken).ConfigureAwait(false);
            if (failure is { } lost)
            {
                return (null, lost);
            }

            switch (status)
            {
                case LineStatus.End:
                    return (null, new StreamFailure(ReconnectReason.Network, "x.closed", "X closed the stream"));
                case LineStatus.EndMidLine:
                    return (null, new StreamFailure(ReconnectReason.Network, "x.closed-mid-record",
                        "the stream closed in the middle of a record (the partial record was dropped)"));
                case LineStatus.Oversized:
                    Context.Problems.Report("x.oversized", $"skipped a record longer than {_options.MaxRecordBytes} bytes");
                    continue;
            }

            if (line.Length == 0 || line.AsSpan().Trim((byte)' ').IsEmpty)
            {
                continue; // A keep-alive.
            }

            if (XStreamError.TryRead(line) is not { } error)
            {
                return (line, default);
            }

            var said = $"{error.Title}{(error.Detail is null ? "" : $": {error.Detail}")}";
            if (error.IsTooManyConnections)
            {
                return (null, new StreamFailure(ReconnectReason.RateLimited, "x.too-many-connections",
                    $"another connection of this app holds the stream (X allows one; {said})"));
            }

            if (error.IsOperationalDisconnect)
            {
                return (null, new StreamFailure(ReconnectReason.Network, "x.operational-disconnect", $"X disconnected the stream ({said})"));
            }

            Context.Problems.Report($"x.stream-error.{error.Title}", $"the stream sent an error ({said}); reading on");
        }
    }
}
