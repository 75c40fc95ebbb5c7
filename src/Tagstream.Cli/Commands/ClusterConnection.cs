using StackExchange.Redis;
using Tagstream.Cluster;

namespace Tagstream.Cli.Commands;

/// <summary>The <c>--cluster</c> address read and its Redis reached, with one line for the user when either fails.</summary>
internal static class ClusterConnection
{
    /// <summary>Reads the address (the password from the environment when it has none).</summary>
    /// <exception cref="UsageException">The address cannot be used.</exception>
    public static ClusterAddress Parse(string text) =>
        ClusterAddress.Parse(text, Environment.GetEnvironmentVariable(ClusterAddress.PasswordVariable), out string? problem)
        ?? throw new UsageException($"--cluster: {problem}");

    /// <summary>Connects to the cluster's Redis; the connection reconnects by itself if Redis is lost later.</summary>
    /// <exception cref="UsageException">Redis cannot be reached, or refuses the password.</exception>
    public static async Task<ConnectionMultiplexer> ConnectAsync(ClusterAddress address)
    {
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(address.ToRedisOptions(abortOnConnectFail: true)).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            string why = e.Message.Contains("auth", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
                ? "it refused the password"
                : "nothing answered there";
            throw new UsageException($"cannot reach the cluster's Redis at {address}: {why}.");
        }
    }

    /// <summary>Checks a cluster id or job name: letters, digits, '.', '_' and '-', at most 100 of them.</summary>
    /// <exception cref="UsageException">The name has other characters.</exception>
    public static string ValidName(string name, string option) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? name
            : throw new UsageException($"{option} must be 1 to 100 letters, digits, '.', '_' or '-', not '{name}'.");
}
