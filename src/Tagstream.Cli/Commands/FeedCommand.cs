using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tagstream.Cli.Terminal;
using Tagstream.Protocol;
using Tagstream.Sources;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>tagstream feed</c>: the successor of the original feed script. It waits for a client, then streams each
/// post's hashtags to every connected client as protocol lines.
/// </summary>
internal static class FeedCommand
{
    public static Command Create()
    {
        var sources = new SourceOptions(forCounter: false);
        var limit = new Option<long?>("--limit") { Description = "Stop after this many posts (each post counts, with or without hashtags)." };
        var host = new Option<string>("--host")
        {
            Description = "Interface to serve on. Anything but loopback exposes the feed to the network.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port") { Description = "TCP port to serve on.", DefaultValueFactory = _ => 9876 };
        var quiet = new Option<bool>("--quiet") { Description = "Print no posts, only a rate summary each second." };
        var bufferMib = new Option<int>("--buffer-mib")
        {
            Description = "Recent lines kept for clients, in MiB: a client further behind the fastest is dropped; a counter that reconnects within it loses nothing.",
            DefaultValueFactory = _ => 64,
        };

        var command = new Command("feed", "Stream posts' hashtags to TCP clients as protocol lines (the original feed script).");
        sources.AddTo(command);
        command.Add(limit);
        command.Add(host);
        command.Add(port);
        command.Add(quiet);
        command.Add(bufferMib);
        command.SetAction((parse, _) => CommandRunner.RunAsync("feed", async stop =>
        {
            long? maxPosts = parse.GetValue(limit);
            if (maxPosts is < 1)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--limit must be at least 1, not {maxPosts}."));
            }

            if (parse.GetValue(bufferMib) is < 4 or > 4096)
            {
                throw new UsageException("--buffer-mib must be between 4 and 4096.");
            }

            var options = new FeedServerOptions
            {
                Address = ParseHost(parse.GetValue(host)!),
                Port = parse.GetValue(port),
                BufferBytes = parse.GetValue(bufferMib) << 20,
            };
            if (options.Validate() is { } problem)
            {
                throw new UsageException(problem);
            }

            TimeProvider time = TimeProvider.System;
            await using PostSource source = sources.Create(parse, time, new StatusPrinter(Console.Out));
            await using var console = new FeedConsole(Console.Out, parse.GetValue(quiet), time);
            await using var server = new FeedServer(options, console);
            long sent = await ServeAsync(server, options, maxPosts is { } n ? new LimitedSource(source, n) : source, console, stop).ConfigureAwait(false);
            console.Print(string.Create(CultureInfo.InvariantCulture, $"Sent {sent:N0} posts; connections closed."));
            return 0;
        }));
        return command;
    }

    /// <summary>Binds, announces, and streams until the source ends or <paramref name="stop"/> fires.</summary>
    internal static async Task<long> ServeAsync(FeedServer server, FeedServerOptions options, PostSource source, FeedConsole console, CancellationToken stop)
    {
        IPEndPoint endPoint;
        try
        {
            endPoint = server.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new IOException($"Port {options.Port} on {options.Address} is already in use (another feed?); choose another with --port.", e);
        }
        catch (SocketException e)
        {
            throw new IOException($"Cannot listen on {options.Address}:{options.Port}: {e.Message}", e);
        }

        if (!IPAddress.IsLoopback(options.Address))
        {
            console.Print($"Note: serving on {endPoint}: anyone who can reach this machine can read the feed.");
        }

        console.Print($"Waiting for connection on {endPoint}");
        return await server.RunAsync(new ObservedSource(source, console.Posts), stop).ConfigureAwait(false);
    }

    private static IPAddress ParseHost(string host)
    {
        if (host == "localhost")
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out IPAddress? address)
            ? address
            : throw new UsageException($"--host must be an IP address such as 127.0.0.1 or 0.0.0.0, not '{host}'.");
    }
}
