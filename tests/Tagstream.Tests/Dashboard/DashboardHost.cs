using Xunit;
using Tagstream.Cli.Dashboard;

namespace Tagstream.Tests.Dashboard;

/// <summary>A real dashboard on a free loopback port, with an HTTP client pointed at it.</summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    private DashboardHost(DashboardServer server)
    {
        Server = server;
        Client = new HttpClient { BaseAddress = server.Url };
    }

    public DashboardServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<DashboardHost> StartAsync(string? token = null, string address = "127.0.0.1", int port = 0)
    {
        var options = new DashboardOptions(new Uri(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://{address}:{port}")), token, [DashboardView.All]);
        var server = await DashboardServer.StartAsync(options, TimeProvider.System, TestContext.Current.CancellationToken);
        return new DashboardHost(server);
    }

    public ValueTask PublishAsync(long batch, int count = 20) =>
        Server.Sink.OnBatchAsync(TestBatches.Make(batch, count), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
