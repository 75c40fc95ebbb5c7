using System.CommandLine;
using Spectre.Console;
using Tagstream.Cli.Terminal;
using Tagstream.Sinks;
using Tagstream.Sources;
using Tagstream.Streaming;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>tagstream count</c>: the successor of the original notebook. It counts a feed's hashtags exactly, closes a batch
/// every interval and shows the top hashtags after each.
/// </summary>
internal static class CountCommand
{
    public static Command Create()
    {
        var sources = new SourceOptions(forCounter: true);
        var interval = new Option<string>("--interval") { Description = "Batch interval, for example 10s or 500ms.", DefaultValueFactory = _ => "10s" };
        var top = new Option<int>("--top") { Description = "How many hashtags to rank.", DefaultValueFactory = _ => 20 };
        var output = new Option<string>("--output")
        {
            Description = "text: a live chart on a terminal, a ranked table per batch when redirected; jsonl: one JSON object per batch.",
            DefaultValueFactory = _ => "text",
        };
        output.AcceptOnlyFromAmong("text", "jsonl");
        var workers = new Option<int>("--workers") { Description = "Counting threads.", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };

        var command = new Command("count", "Count hashtags exactly and show the top N after every batch (the original notebook).")
        {
            interval, top, output, workers,
        };
        sources.AddTo(command);
        command.SetAction((parse, _) => CommandRunner.RunAsync("count", async stop =>
        {
            var options = new HashtagJobOptions
            {
                Interval = Durations.Parse(parse.GetValue(interval)!, "--interval"),
                Top = parse.GetValue(top),
                Workers = parse.GetValue(workers),
            };
            if (options.Validate() is { } problem)
            {
                throw new UsageException(problem);
            }

            var status = new StatusPrinter(Console.Error);
            PostSource source = sources.Create(parse, options.TimeProvider, status);
            await using var job = new HashtagJob(source, options);
            await using IAsyncDisposable output1 = AttachOutput(job, parse.GetValue(output)!, source.Name);
            await job.RunAsync(stop).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Attaches the standard output's sink: JSON lines, or the terminal chart.</summary>
    internal static IAsyncDisposable AttachOutput(HashtagJob job, string output, string sourceName)
    {
        if (output == "jsonl")
        {
            Stream stdout = Console.OpenStandardOutput();
            job.AddSink(new JsonLinesSink(stdout));
            return stdout;
        }

        var chart = new TerminalChartSink(AnsiConsole.Console, live: !Console.IsOutputRedirected, sourceName);
        job.AddSink(chart);
        return chart;
    }
}
