using System.Net;
using Tagstream.Sources.Live.Transport;

namespace Tagstream.Sources.Live.Mastodon;

/// <summary>The stop messages for statuses where retrying cannot help.</summary>
internal static class MastodonRefusals
{
    public static string Describe(HttpStatusCode status, string host, SecretToken token, string detail)
    {
        var said = $"HTTP {(int)status} {status}{(detail.Length > 0 ? $": {detail}" : "")}";
        return status switch
        {
            HttpStatusCode.Unauthorized => $"mastodon: {host} rejected the access token ({said}); set {token.Variable} to a user access token of that instance with the read:statuses scope.",
            HttpStatusCode.Forbidden => $"mastodon: {host} refused the stream ({said}); the token in {token.Variable} needs the read:statuses scope.",
            >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest => $"mastodon: {host} redirects the stream ({said}); give the streaming server with --mastodon-streaming-url.",
            HttpStatusCode.NotFound => $"mastodon: {host} has no streaming endpoint there ({said}); check --mastodon-url and --mastodon-streaming-url.",
            _ => $"mastodon: {host} refused the stream ({said}); retrying cannot help, stopping.",
        };
    }
}
