using System.Text;
using System.Threading.Channels;
using Tagstream.Tests.Sources.Live;
using Xunit;

namespace Tagstream.Tests.Cli;

public sealed class OtlpExportTests
{
    [Fact]
    public async Task Count_OtelExporterOtlpEndpointSet_SendsTheTagstreamMeterToTheCollector()
    {
        var requests = Channel.CreateUnbounded<(string Path, byte[] Body)>();
        await using var collector = await FakeServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            requests.Writer.TryWrite((context.Request.Path.Value!, body.ToArray()));
            context.Response.StatusCode = 200;
        });
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUri.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
        await using var count = CliProcess.StartWith(environment, "count", "--source", "stdin", "--no-checkpoint", "--no-dashboard", "--output", "jsonl");
        await count.Stdin.WriteAsync("dotnet football\nfootball\n");
        count.Stdin.Close();

        Assert.Equal(0, await count.WaitForExitAsync());
        requests.Writer.TryComplete();

        // The last export happens as the program ends: it carries the meter's instruments and the source's name.
        var metrics = new List<byte[]>();
        await foreach ((string path, byte[] body) in requests.Reader.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal("/v1/metrics", path);
            metrics.Add(body);
        }

        string exported = Encoding.UTF8.GetString([.. metrics.SelectMany(static body => body)]);
        Assert.Contains("Tagstream", exported, StringComparison.Ordinal);
        Assert.Contains("tagstream.posts", exported, StringComparison.Ordinal);
        Assert.Contains("tagstream.batch.duration", exported, StringComparison.Ordinal);
        Assert.Contains("tagstream.source", exported, StringComparison.Ordinal);
    }
}
