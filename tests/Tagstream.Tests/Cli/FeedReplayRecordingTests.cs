using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Tagstream.Tests.Cli;

/// <summary><c>tagstream feed --source replay</c> of recorded service payloads, as a process, read by a TCP client.</summary>
public sealed partial class FeedReplayRecordingTests
{
    [Theory]
    [InlineData("jetstream_v1_subscribe.jsonl", "dotnet csharp\n")]
    [InlineData("mastodon_sse_hashtag.txt", "dotnet csharp\n")]
    [InlineData("x_v2_filtered_stream.ndjson", "dotnet csharp\n")]
    public async Task Feed_ReplayOfARecording_SendsTheProtocolLines(string fixture, string expected)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "exec", Path.Combine(AppContext.BaseDirectory, "Tagstream.Cli.dll"), "feed", "--source", "replay",
            "--file", TestDataFiles.Fixture(fixture), "--port", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            int port;
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(cancellationToken)
                    ?? throw new InvalidOperationException("feed ended before it listened: " + await stderr);
                if (WaitingLine().Match(line) is { Success: true } match)
                {
                    port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                }
            }

            var drain = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var received = new MemoryStream();
            using (var client = new TcpClient())
            {
                // Read to the feed's end of stream, then close: the feed waits for its clients to close before exiting.
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                await client.GetStream().CopyToAsync(received, cancellationToken);
            }

            await process.WaitForExitAsync(cancellationToken);
            await drain;

            Assert.Equal(expected, Encoding.UTF8.GetString(received.ToArray()));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [GeneratedRegex(@"Waiting for connection on [\d.]+:(\d+)")]
    private static partial Regex WaitingLine();
}
