using System.Net;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live.X;

/// <summary>Turns X's failed HTTP responses into a stop (bad credential, wrong URL) or a retry with its back-off.</summary>
internal static class XResponses
{
    /// <summary>Null when the response succeeded; a retryable failure; or throws when retrying cannot help.</summary>
    /// <exception cref="LiveSourceException">401, 403, 404 or another client error.</exception>
    public static async Task<StreamFailure?> CheckAsync(HttpResponseMessage response, string what, SecretToken token, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var code = (int)response.StatusCode;
        var detail = await LiveHttp.DescribeErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var said = $"HTTP {code} {response.ReasonPhrase}{(detail.Length > 0 ? $" ({detail})" : "")}";
        if (response.StatusCode is HttpStatusCode.Unauthorized)
        {
            throw new LiveSourceException($"x: X rejected the bearer token in {token.Variable} ({said}); set {token.Variable} to a valid app-only bearer token.");
        }

        if (response.StatusCode is HttpStatusCode.Forbidden)
        {
            throw new LiveSourceException($"x: X refused {what} ({said}); the app of the token in {token.Variable} needs access to the filtered stream (not every X API access level includes it), or set {token.Variable} to another app's token.");
        }

        if (LiveHttp.RetryReason(response.StatusCode) is not { } reason)
        {
            throw new LiveSourceException($"x: {what} failed with {said}; retrying cannot help, stopping.");
        }

        return new StreamFailure(reason, $"x.http-{code}", $"{what} failed with {said}");
    }
}
