using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tagstream.Cli.Dashboard;

/// <summary>
/// Checks the dashboard token, when one is set, on the page and the API. A browser brings it once as
/// <c>/?token=...</c> and then carries it in an HttpOnly, SameSite=Strict cookie; other clients send
/// <c>Authorization: Bearer ...</c>.
/// </summary>
internal sealed class DashboardAccess
{
    /// <summary>The cookie that carries the token for the page's own requests.</summary>
    public const string CookieName = "tagstream_dashboard";

    // Both sides are hashed first so the comparison takes the same time whatever the lengths and contents.
    private readonly byte[]? _tokenHash;

    /// <summary>Creates the check for <paramref name="token"/>, or no check when it is null.</summary>
    public DashboardAccess(string? token) =>
        _tokenHash = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>True when requests must present the token.</summary>
    public bool Required => _tokenHash is not null;

    /// <summary>True when <paramref name="request"/> presents the token in a header or the cookie, or none is required.</summary>
    public bool Allows(HttpRequest request)
    {
        if (_tokenHash is null)
        {
            return true;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && Matches(authorization["Bearer ".Length..]))
        {
            return true;
        }

        return request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie);
    }

    /// <summary>True when <paramref name="candidate"/> is the token.</summary>
    public bool Matches(string? candidate)
    {
        if (_tokenHash is null || candidate is null)
        {
            return _tokenHash is null;
        }

        var candidateHash = SHA256.HashData(Encoding.UTF8.GetBytes(candidate));
        return CryptographicOperations.FixedTimeEquals(candidateHash, _tokenHash);
    }
}
