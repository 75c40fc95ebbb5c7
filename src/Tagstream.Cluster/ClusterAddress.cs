using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Tagstream.Cluster;

/// <summary>
/// Where a cluster keeps its membership and state: a Redis server given as <c>redis://[:PASSWORD@]HOST:PORT</c>.
/// A Redis server off this machine must be protected by a password (in the address or in the environment variable
/// named by <see cref="PasswordVariable"/>); the password is never part of <see cref="ToString"/>.
/// </summary>
internal sealed class ClusterAddress
{
    /// <summary>The environment variable that holds the Redis password when the address has none.</summary>
    public const string PasswordVariable = "TAGSTREAM_REDIS_PASSWORD";

    private readonly string? _password;

    private ClusterAddress(string host, int port, string? password)
    {
        Host = host;
        Port = port;
        _password = password;
    }

    /// <summary>The Redis host name or address.</summary>
    public string Host { get; }

    /// <summary>The Redis port.</summary>
    public int Port { get; }

    /// <summary>Whether the host is this machine's loopback.</summary>
    public bool IsLoopback => Host == "localhost" || (IPAddress.TryParse(Host, out IPAddress? ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Reads an address; returns null and a one-sentence <paramref name="problem"/> when it cannot be used.
    /// </summary>
    /// <param name="text">The address, <c>redis://[:PASSWORD@]HOST:PORT</c>.</param>
    /// <param name="environmentPassword">The password from the environment, used when the address has none.</param>
    /// <param name="problem">Why the address cannot be used; it never contains the password.</param>
    public static ClusterAddress? Parse(string text, string? environmentPassword, out string? problem)
    {
        problem = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme != "redis" || string.IsNullOrEmpty(uri.Host)
            || (uri.AbsolutePath is not ("" or "/")) || uri.Query.Length > 0)
        {
            problem = "the cluster address must look like redis://HOST:PORT (with an optional :PASSWORD@ before the host).";
            return null;
        }

        if (uri.IsDefaultPort || uri.Port is < 1 or > 65535)
        {
            problem = "the cluster address needs a port: redis://HOST:PORT.";
            return null;
        }

        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            password = Uri.UnescapeDataString(colon >= 0 ? uri.UserInfo[(colon + 1)..] : uri.UserInfo);
        }

        if (string.IsNullOrEmpty(password))
        {
            password = string.IsNullOrEmpty(environmentPassword) ? null : environmentPassword;
        }

        var address = new ClusterAddress(uri.Host.Trim('[', ']'), uri.Port, password);
        if (!address.IsLoopback && password is null)
        {
            problem = $"a Redis server off this machine ({address}) needs a password: put it in the address "
                + $"(redis://:PASSWORD@HOST:PORT) or in {PasswordVariable}.";
            return null;
        }

        return address;
    }

    /// <summary>The StackExchange.Redis settings for this address.</summary>
    /// <param name="abortOnConnectFail">Fail at once when Redis cannot be reached (at start) rather than retry in the background.</param>
    public ConfigurationOptions ToRedisOptions(bool abortOnConnectFail)
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = abortOnConnectFail,
            ConnectTimeout = 5000,
            SyncTimeout = 30000,
            AsyncTimeout = 30000,
            Password = _password,
            ClientName = "tagstream",

            // While Redis is away, fail at once instead of queueing: callers retry with back-off and say so once.
            BacklogPolicy = BacklogPolicy.FailFast,
        };
        options.EndPoints.Add(Host, Port);
        return options;
    }

    /// <summary>The address without its password: safe to print.</summary>
    public override string ToString()
    {
        string host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return string.Create(CultureInfo.InvariantCulture, $"redis://{host}:{Port}");
    }
}
