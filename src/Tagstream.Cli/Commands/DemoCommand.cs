using System.CommandLine;
using System.Net;
using Tagstream.Cli.Terminal;
using Tagstream.Feed;
using Tagstream.Sources;
using Tagstream.Sources.Synthetic;
using Tagstream.Streaming;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>tagstream demo</c>: the whole pipeline in one command. A synthetic feed and a counter run in this process and
/// talk over a real loopback socket, exactly as the two commands do, with a one-second batch and the live chart.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var rate = new Option<double>("--rate") { Description = "Posts per second of the synthetic feed.", DefaultValueFactory = _ => 5000 };
        var interval = new Option<string>("--interval") { Description = "Batch interval.", DefaultValueFactory = _ => "1s" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic stream.", DefaultValueFactory = _ => 42 };
        var charts = new ChartOutputOptions();
        var terms = new Argument<string[]>("TERM") { Description = "Terms that appear among the hashtags.", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("demo", "Run a synthetic feed and the counter together, with a live chart (Ctrl+C stops).")
        {
            rate, interval, seed, terms,
        };
        charts.AddTo(command);
        command.SetAction((parse, _) => CommandRunner.RunAsync("demo", async stop =>
        {
            var synthetic = new SyntheticOptions
            {
                Seed = parse.GetValue(seed),
                Rate = parse.GetValue(rate),
                Vocabulary = 100_000,
                Terms = parse.GetValue(terms) is { Length: > 0 } given ? given : ["dotnet", "football"],
            };
            if (synthetic.Validate() is { } problem)
            {
                throw new UsageException(problem);
            }

            var jobOptions = new HashtagJobOptions { Interval = Durations.Parse(parse.GetValue(interval)!, "--interval") };
            if (jobOptions.Validate() is { } jobProblem)
            {
                throw new UsageException(jobProblem);
            }

            // The feed: on a free loopback port, quiet, its messages on standard error.
            var feedOptions = new FeedServerOptions { Address = IPAddress.Loopback, Port = 0 };
            await using var feedConsole = new FeedConsole(TextWriter.Null, quiet: true, TimeProvider.System);
            await using var feed = new FeedServer(feedOptions, feedConsole);
            IPEndPoint endPoint = feed.Start();
            await using var syntheticSource = new SyntheticSource(synthetic);
            using var feedStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Task feeding = feed.RunAsync(syntheticSource, feedStop.Token);

            // The counter: reads the feed through the socket, like `tagstream count`.
            var counterSource = new FeedSocketSource(new FeedSocketOptions { Host = "127.0.0.1", Port = endPoint.Port }, new StatusPrinter(Console.Error));
            await using var job = new HashtagJob(counterSource, jobOptions);
            await using ChartOutputs chartOutputs = await CountCommand.AttachChartsAsync(job, charts, parse, jobOptions.TimeProvider, CountCommand.ViewsOf(jobOptions), stop).ConfigureAwait(false);
            await using IAsyncDisposable output = CountCommand.AttachOutput(job, "text", "synthetic feed over loopback");
            await job.RunAsync(stop).ConfigureAwait(false);
            await feedStop.CancelAsync().ConfigureAwait(false);
            await feeding.ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
