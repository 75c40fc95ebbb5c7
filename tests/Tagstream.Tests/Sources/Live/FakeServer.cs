using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tagstream.Tests.Sources.Live;

/// <summary>A Kestrel server on 127.0.0.1 (a free port) that answers every request with one handler: real HTTP, real WebSockets.</summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The server's address, for example <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The same address with the ws scheme.</summary>
    public Uri WebSocketUri => new UriBuilder(BaseUri) { Scheme = "ws" }.Uri;

    public static async Task<FakeServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        // Streaming handlers wait for their client to leave; stopping need not wait for them.
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromMilliseconds(100));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(handler);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new FakeServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
