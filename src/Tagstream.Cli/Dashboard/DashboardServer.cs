using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tagstream.Cli.Charts;

namespace Tagstream.Cli.Dashboard;

/// <summary>
/// The web dashboard of a running counter: a Kestrel server with the page and the API, and the
/// <see cref="Sink"/> to attach to the streaming job so that every batch reaches it.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;

    private DashboardServer(WebApplication app, CancellationTokenSource stopping, Uri url, DashboardSink sink, DashboardMetrics metrics)
    {
        _app = app;
        _stopping = stopping;
        Url = url;
        Sink = sink;
        Metrics = metrics;
    }

    /// <summary>The address to open, with the port actually bound. It never contains the token.</summary>
    public Uri Url { get; }

    /// <summary>The sink to attach to the streaming job.</summary>
    public DashboardSink Sink { get; }

    /// <summary>The figures served at <c>/metrics</c>; the host reports batch and checkpoint durations here.</summary>
    public DashboardMetrics Metrics { get; }

    /// <summary>Starts listening.</summary>
    /// <exception cref="DashboardException">The address is invalid, needs a token, or is in use.</exception>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new DashboardException(problem);
        }

        var address = DashboardAddress.Parse(options.Url);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "tagstream" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address.Address, address.Port);
        });
        builder.Services.AddRoutingCore();

        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        var broadcaster = new FrameBroadcaster();
        var metrics = new DashboardMetrics(broadcaster);
        var sink = new DashboardSink(broadcaster, metrics, options.Views, new ChartRenderer(), timeProvider);
        new DashboardEndpoints(broadcaster, metrics, new DashboardAccess(options.Token), options.Views, timeProvider,
            loopbackOnly: address.IsLoopback && string.IsNullOrEmpty(options.Token), stopping.Token).Map(app);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            bool inUse = exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException;
            throw new DashboardException(
                inUse
                    ? $"{address.Address}:{address.Port} is in use"
                    : $"the dashboard cannot listen on {address.Address}:{address.Port} ({exception.Message})",
                exception) { AddressInUse = inUse };
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(static text => new Uri(text).Port)
            .First();
        return new DashboardServer(app, stopping, address.ToUrl(bound), sink, metrics);
    }

    /// <summary>Ends every open stream, then stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
