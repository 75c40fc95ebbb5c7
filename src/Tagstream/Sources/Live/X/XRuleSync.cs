using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live.X;

/// <summary>
/// Makes the app's filtered-stream rules match this feed: adds Tagstream's rule when it is missing, deletes Tagstream's
/// stale rules (tagged <see cref="XRule.Tag"/> with another value), and leaves the app's other rules alone unless asked.
/// </summary>
/// <remarks>https://docs.x.com/x-api/posts/filtered-stream/integrate/build-a-rule</remarks>
internal sealed class XRuleSync
{
    private const string RulesPath = "2/tweets/search/stream/rules";

    private readonly HttpClient _http;
    private readonly XStreamOptions _options;
    private readonly LiveSourceContext _context;

    public XRuleSync(HttpClient http, XStreamOptions options, LiveSourceContext context)
    {
        _http = http;
        _options = options;
        _context = context;
    }

    /// <summary>Syncs the rules once.</summary>
    /// <returns>Null when the rules are in place, or a failure to retry after a back-off.</returns>
    /// <exception cref="LiveSourceException">The token was rejected or X refused the rule.</exception>
    public async Task<StreamFailure?> SyncAsync(CancellationToken cancellationToken)
    {
        var wanted = XRule.Build(_options.Terms, _options.Language);
        using var timeout = new CancellationTokenSource(_options.ReadTimeout, _context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await SendAsync(HttpMethod.Get, null, linked.Token).ConfigureAwait(false);
            if (await XResponses.CheckAsync(response, "listing the stream rules", _options.BearerToken, linked.Token).ConfigureAwait(false) is { } failure)
            {
                return failure;
            }

            var rules = ParseRules(await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false));
            var ours = rules.Where(r => IsOurs(r.Tag)).ToList();
            var keep = ours.FirstOrDefault(r => r.Value == wanted);
            var delete = rules.Where(r => r != keep && (IsOurs(r.Tag) || _options.RemoveOtherRules)).Select(r => r.Id).ToList();
            var others = _options.RemoveOtherRules ? 0 : rules.Count(r => !IsOurs(r.Tag));

            if (delete.Count > 0)
            {
                var body = new JsonObject { ["delete"] = new JsonObject { ["ids"] = new JsonArray([.. delete.Select(id => JsonValue.Create(id))]) } };
                if (await PostAsync(body, "deleting stale stream rules", wanted, linked.Token).ConfigureAwait(false) is { } deleteFailure)
                {
                    return deleteFailure;
                }
            }

            if (keep is null)
            {
                var body = new JsonObject { ["add"] = new JsonArray(new JsonObject { ["value"] = wanted, ["tag"] = XRule.Tag }) };
                if (await PostAsync(body, "adding the stream rule", wanted, linked.Token).ConfigureAwait(false) is { } addFailure)
                {
                    return addFailure;
                }
            }

            if (others > 0)
            {
                _context.Problems.Report("x.other-rules", $"the app has {others} other stream rule(s) that also feed this stream; --x-remove-other-rules deletes them.");
            }

            return null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new StreamFailure(ReconnectReason.Network, "x.timeout", $"no answer from the rules endpoint within {_options.ReadTimeout.TotalSeconds:0.##} s");
        }
        catch (HttpRequestException e)
        {
            return new StreamFailure(ReconnectReason.Network, "x.network", $"managing the stream rules failed: {e.Message}");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            // Not the shape X documents (malformed JSON, a rule without an id): retry as for a server error.
            return new StreamFailure(ReconnectReason.Http, "x.rules-malformed", "the rules endpoint answered with malformed JSON");
        }
    }

    private static bool IsOurs(string? tag) => tag == XRule.Tag;

    private static List<XStreamRule> ParseRules(string json)
    {
        using var document = JsonDocument.Parse(json);
        var rules = new List<XStreamRule>();
        if (document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var rule in data.EnumerateArray())
            {
                rules.Add(new XStreamRule(
                    rule.GetProperty("id").GetString() ?? "",
                    rule.TryGetProperty("value", out var value) ? value.GetString() ?? "" : "",
                    rule.TryGetProperty("tag", out var tag) ? tag.GetString() : null));
            }
        }

        return rules;
    }

    private async Task<StreamFailure?> PostAsync(JsonObject body, string what, string wanted, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        if (await XResponses.CheckAsync(response, what, _options.BearerToken, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            return failure;
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        if (document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errors.EnumerateArray())
            {
                var title = error.TryGetProperty("title", out var t) ? t.GetString() : null;
                // The same rule already present (for example added by hand) serves the feed just as well.
                if (title == "DuplicateRule")
                {
                    continue;
                }

                throw new LiveSourceException($"x: X refused the stream rule \"{wanted}\" while {what} ({LiveHttp.DescribeErrorBody(error.GetRawText())}).");
            }
        }

        return null;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_options.BaseUrl, RulesPath));
        request.Headers.Authorization = LiveHttp.Bearer(_options.BearerToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
