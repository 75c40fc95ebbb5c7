namespace Tagstream.Cli.Dashboard;

/// <summary>How the dashboard is served.</summary>
/// <param name="Url">Where to listen: <c>http://ADDRESS:PORT</c>; port 0 picks a free port.</param>
/// <param name="Token">The access token, required when <paramref name="Url"/> is not a loopback address; never printed or logged.</param>
/// <param name="Views">The rankings the counter produces, <see cref="DashboardView.All"/> first.</param>
internal sealed record DashboardOptions(Uri Url, string? Token, IReadOnlyList<DashboardView> Views)
{
    /// <summary>The default address, as in the issue: loopback, port 4040.</summary>
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:4040");

    /// <summary>
    /// The environment variable that replaces <see cref="DefaultUrl"/>; like the default, and unlike
    /// <c>--dashboard-url</c>, its port moves on to the next free one when it is in use.
    /// </summary>
    public const string UrlVariable = "TAGSTREAM_DASHBOARD_URL";

    /// <summary>How many ports after a busy default one are tried, as Spark's UI does (spark.port.maxRetries).</summary>
    public const int DefaultPortAttempts = 16;

    /// <summary>The environment variable the token is read from when no option gives it.</summary>
    public const string TokenVariable = "TAGSTREAM_DASHBOARD_TOKEN";

    /// <summary>Why these options cannot work, in one line, or null when they can.</summary>
    public string? Validate()
    {
        DashboardAddress address;
        try
        {
            address = DashboardAddress.Parse(Url);
        }
        catch (DashboardException e)
        {
            return e.Message;
        }

        return address.IsLoopback || !string.IsNullOrEmpty(Token)
            ? null
            : $"Serving the dashboard on {address.Address} exposes it beyond this machine: set a token in {TokenVariable} (or --dashboard-token), or use 127.0.0.1.";
    }
}
