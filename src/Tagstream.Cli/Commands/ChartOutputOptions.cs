using System.CommandLine;
using Tagstream.Cli.Charts;
using Tagstream.Cli.Dashboard;
using Tagstream.Streaming;

namespace Tagstream.Cli.Commands;

/// <summary>
/// The chart outputs shared by <c>count</c> and <c>demo</c>: the web dashboard (<c>--dashboard-url</c>,
/// <c>--no-dashboard</c>, <c>--dashboard-token</c>) and image files (<c>--png DIR</c>, <c>--svg DIR</c>).
/// </summary>
internal sealed class ChartOutputOptions
{
    private readonly Option<string> _url = new("--dashboard-url")
    {
        Description = "Where the web dashboard listens (http://ADDRESS:PORT). Anything but loopback requires a token.",
        DefaultValueFactory = _ => DashboardOptions.DefaultUrl.ToString(),
    };

    private readonly Option<bool> _noDashboard = new("--no-dashboard") { Description = "Do not start the web dashboard." };

    private readonly Option<string?> _token = new("--dashboard-token")
    {
        Description = $"Token the dashboard's page and API require; prefer the {DashboardOptions.TokenVariable} environment variable, which other users cannot see in the process list.",
    };

    private readonly Option<DirectoryInfo?> _png = new("--png") { Description = "Keep the newest batch's chart as latest.png in this folder." };

    private readonly Option<DirectoryInfo?> _svg = new("--svg") { Description = "Keep the newest batch's chart as latest.svg in this folder." };

    private readonly Option<bool> _series = new("--chart-series") { Description = "With --png or --svg, also keep every batch's chart as top-TIME.png (or .svg)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(_url);
        command.Add(_noDashboard);
        command.Add(_token);
        command.Add(_png);
        command.Add(_svg);
        command.Add(_series);
    }

    /// <summary>
    /// Starts what the options ask for and prints the dashboard's address on <paramref name="log"/>; attach
    /// <see cref="ChartOutputs.Sinks"/> to the streaming job.
    /// </summary>
    /// <exception cref="UsageException">An option is invalid.</exception>
    /// <exception cref="IOException">The dashboard's port is in use.</exception>
    public async Task<ChartOutputs> StartAsync(ParseResult parse, IReadOnlyList<DashboardView> views, TimeProvider timeProvider, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(log);
        var sinks = new List<IBatchSink>();
        var renderer = new ChartRenderer();
        if (parse.GetValue(_png) is { } png)
        {
            sinks.Add(new ChartFileSink(png.FullName, ChartFormat.Png, renderer, parse.GetValue(_series)));
        }

        if (parse.GetValue(_svg) is { } svg)
        {
            sinks.Add(new ChartFileSink(svg.FullName, ChartFormat.Svg, renderer, parse.GetValue(_series)));
        }

        if (parse.GetValue(_noDashboard))
        {
            return new ChartOutputs(null, sinks);
        }

        bool chosen = parse.GetResult(_url) is { Implicit: false };
        string urlText = chosen ? parse.GetValue(_url)! : Environment.GetEnvironmentVariable(DashboardOptions.UrlVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : parse.GetValue(_url)!;
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url))
        {
            throw new UsageException($"--dashboard-url must be http://ADDRESS:PORT, not '{urlText}'.");
        }

        var token = parse.GetValue(_token) ?? Environment.GetEnvironmentVariable(DashboardOptions.TokenVariable);
        var options = new DashboardOptions(url, token, views);
        if (options.Validate() is { } problem)
        {
            throw new UsageException(problem);
        }

        DashboardServer? dashboard = null;
        var tried = new UriBuilder(url);
        for (int attempt = 0; dashboard is null; attempt++)
        {
            try
            {
                dashboard = await DashboardServer.StartAsync(options with { Url = tried.Uri }, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (DashboardException e) when (!chosen && e.AddressInUse && url.Port != 0 && attempt + 1 < DashboardOptions.DefaultPortAttempts && tried.Port < 65535)
            {
                // The default port is busy (Spark's UI and other counters use 4040 too): move on, as Spark does.
                tried.Port++;
            }
            catch (DashboardException e) when (!chosen)
            {
                // No free port near the default: counting matters more than the page.
                string ports = tried.Port == url.Port ? $"port {url.Port}" : $"ports {url.Port} to {tried.Port}";
                log.WriteLine(e.AddressInUse
                    ? $"Dashboard: not started: {ports} {(tried.Port == url.Port ? "is" : "are")} in use; counting goes on (choose a port with --dashboard-url, or --no-dashboard)."
                    : $"Dashboard: not started: {e.Message}; counting goes on.");
                return new ChartOutputs(null, sinks);
            }
            catch (DashboardException e)
            {
                // The user chose this address and it cannot be had: in use or not ours to take.
                throw new IOException(e.AddressInUse
                    ? $"the dashboard cannot listen on {url.Authority}: it is in use (choose another port with --dashboard-url, or --no-dashboard)."
                    : e.Message + ".", e);
            }
        }

        if (tried.Port != url.Port)
        {
            await log.WriteLineAsync($"Dashboard: port {url.Port} is in use, moved on to {tried.Port}.").ConfigureAwait(false);
        }

        // First, so drawing image files never delays the page.
        sinks.Insert(0, dashboard.Sink);
        // The token is never printed: the user set it, and says it to the browser once as ?token=.
        await log.WriteLineAsync(string.IsNullOrEmpty(token)
            ? $"Dashboard: {dashboard.Url}"
            : $"Dashboard: {dashboard.Url}?token=<your {DashboardOptions.TokenVariable}> (listening on {tried.Uri.Authority})").ConfigureAwait(false);
        return new ChartOutputs(dashboard, sinks);
    }
}
