using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Tagstream.Streaming;

namespace Tagstream.Cli.Commands;

/// <summary>
/// Sends the <see cref="TagstreamMeter"/> figures to an OpenTelemetry collector when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c>) variable is set; the exporter reads
/// the protocol, headers and interval from the other standard <c>OTEL_*</c> variables itself.
/// </summary>
internal static class OtlpExport
{
    /// <summary>The running export, or null when no endpoint is configured. Disposing it sends the last figures.</summary>
    public static MeterProvider? StartIfConfigured()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")))
        {
            return null;
        }

        return Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(static resource => resource.AddService("tagstream", serviceVersion: typeof(OtlpExport).Assembly.GetName().Version?.ToString()))
            .AddMeter(TagstreamMeter.Name)
            .AddOtlpExporter()
            .Build();
    }
}
