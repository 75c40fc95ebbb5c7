using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tagstream.Cli.Terminal;
using Tagstream.Feed;
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
            Description = "Recent lines kept for clients, in MiB: a client further behind the fastest is dropped (with --log it reads the log instead); a counter that reconnects within it (or within the --log) loses nothing.",
            DefaultValueFactory = _ => 64,
        };

        var log = new Option<DirectoryInfo?>("--log")
        {
            Description = "Keep a durable log of the lines served in this folder: a restarted feed continues the same run and its source where the log ends, and serves counters that resume from before its buffer.",
            HelpName = "DIR",
        };
        var logMaxMib = new Option<int>("--log-max-mib")
        {
            Description = "The most disk the --log may use, in MiB: its oldest segments are deleted beyond it.",
            DefaultValueFactory = _ => 1024,
        };

        var command = new Command("feed", "Stream posts' hashtags to TCP clients as protocol lines (the original feed script).");
        sources.AddTo(command);
        command.Add(limit);
        command.Add(host);
        command.Add(port);
        command.Add(quiet);
        command.Add(bufferMib);
        command.Add(log);
        command.Add(logMaxMib);
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

            if (parse.GetValue(logMaxMib) is < 4 or > 1 << 20)
            {
                throw new UsageException("--log-max-mib must be between 4 and 1048576.");
            }

            TimeProvider time = TimeProvider.System;
            await using var console = new FeedConsole(Console.Out, parse.GetValue(quiet), time);

            // The log first: its problems are the user's to fix before anything starts, and it says where the source goes on.
            using FeedLog? feedLog = parse.GetValue(log) is { } folder
                ? OpenLog(folder.FullName, new FeedLogOptions { Source = sources.Identity(parse), MaxBytes = (long)parse.GetValue(logMaxMib) << 20, TimeProvider = time }, console)
                : null;
            if (feedLog is { Lines: > 0, ResumePosition: null } && parse.GetValue(sources.Source) is "synthetic" or "replay")
            {
                // Only a run cut short by --limit inside the source's first chunk logs lines without any position.
                throw new UsageException($"The feed log in {feedLog.Directory} holds {feedLog.Lines} lines but no source position, so this source cannot continue where it ends; use another --log folder.");
            }

            PostSource source;
            try
            {
                source = sources.Create(parse, time, new StatusPrinter(Console.Out), feedLog?.ResumePosition);
            }
            catch (ArgumentException e) when (feedLog?.ResumePosition is not null)
            {
                throw new UsageException($"The source cannot continue where the feed log in {feedLog.Directory} ends: {e.Message}");
            }

            await using (source.ConfigureAwait(false))
            {
                // --limit counts the posts of the whole run, those already logged included.
                long logged = feedLog?.ResumeLine ?? 0;
                PostSource served = maxPosts is { } n ? new LimitedSource(source, Math.Max(0, n - logged)) : source;
                await using var server = new FeedServer(options, console, feedLog);
                long sent = await ServeAsync(server, options, served, console, stop).ConfigureAwait(false);
                console.Print(string.Create(CultureInfo.InvariantCulture, $"Sent {sent:N0} posts; connections closed."));
            }

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

    private static FeedLog OpenLog(string folder, FeedLogOptions options, FeedConsole console)
    {
        FeedLog feedLog;
        try
        {
            feedLog = FeedLog.Open(folder, options);
        }
        catch (FeedLogException e)
        {
            throw new UsageException(e.Message);
        }

        foreach (string message in feedLog.Messages)
        {
            console.Print(message);
        }

        console.Print(feedLog.Lines == 0
            ? $"Feed log {feedLog.Directory}: new run {feedLog.RunId}."
            : string.Create(CultureInfo.InvariantCulture, $"Feed log {feedLog.Directory}: continuing run {feedLog.RunId} at line {feedLog.Lines} (holding lines {feedLog.OldestLine} to {feedLog.Lines - 1})."));
        return feedLog;
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
