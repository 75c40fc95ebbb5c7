using System.Globalization;
using System.Net;

namespace Tagstream.Cli.Dashboard;

/// <summary>Where the dashboard listens, parsed from <c>--dashboard-url</c>.</summary>
/// <param name="Address">The interface address.</param>
/// <param name="Port">The port; 0 lets the system pick a free one.</param>
internal sealed record DashboardAddress(IPAddress Address, int Port)
{
    /// <summary>True when only this machine can connect.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>Parses <c>http://ADDRESS:PORT</c> where ADDRESS is an IP address or <c>localhost</c>.</summary>
    /// <exception cref="DashboardException">The URL is not of that form.</exception>
    public static DashboardAddress Parse(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttp)
        {
            throw new DashboardException($"--dashboard-url must be http://ADDRESS:PORT (for example {DashboardOptions.DefaultUrl}), not '{url}'.");
        }

        if (url.AbsolutePath != "/" || url.Query.Length > 0 || url.UserInfo.Length > 0)
        {
            throw new DashboardException($"--dashboard-url takes an address and a port only, not a path, query or user: '{url}'.");
        }

        var host = url.DnsSafeHost;
        IPAddress? address = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (address is null)
        {
            throw new DashboardException($"--dashboard-url needs an IP address or localhost, not the host name '{host}' (use 0.0.0.0 for every interface).");
        }

        return new DashboardAddress(address, url.Port);
    }

    /// <summary>The URL to print for a listener bound to <paramref name="port"/>.</summary>
    public Uri ToUrl(int port)
    {
        var shown = Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : Address;
        var host = shown.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{shown}]" : shown.ToString();
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/"));
    }
}
