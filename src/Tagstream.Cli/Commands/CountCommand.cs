using System.CommandLine;
using Spectre.Console;
using Tagstream.Cli.Dashboard;
using Tagstream.Cli.Terminal;
using Tagstream.Sinks;
using Tagstream.State;
using Tagstream.Streaming;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>tagstream count</c>: the successor of the original notebook. It counts a feed's hashtags exactly, closes a batch
/// every interval, checkpoints it, and shows the top hashtags after each.
/// </summary>
internal static class CountCommand
{
    public const string DefaultCheckpoint = "tagstream_checkpoint";

    public static Command Create()
    {
        var sources = new SourceOptions(forCounter: true);
        var charts = new ChartOutputOptions();
        var interval = new Option<string>("--interval") { Description = "Batch interval, for example 10s or 500ms.", DefaultValueFactory = _ => "10s" };
        var top = new Option<int>("--top") { Description = "How many hashtags to rank.", DefaultValueFactory = _ => 20 };
        var output = new Option<string>("--output")
        {
            Description = "text: a live chart on a terminal, a ranked table per batch when redirected; jsonl: one JSON object per batch.",
            DefaultValueFactory = _ => "text",
        };
        output.AcceptOnlyFromAmong("text", "jsonl");
        var view = new Option<string>("--view") { Description = "The ranking the terminal shows: all (all-time), window or trending.", DefaultValueFactory = _ => "all" };
        view.AcceptOnlyFromAmong("all", "window", "trending");
        var workers = new Option<int>("--workers") { Description = "Counting threads.", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint folder: every batch is committed there, and a restart resumes from it.", DefaultValueFactory = _ => DefaultCheckpoint };
        var noCheckpoint = new Option<bool>("--no-checkpoint") { Description = "Keep the counts in memory only." };
        var fresh = new Option<bool>("--fresh") { Description = "Discard what the checkpoint folder holds and count from the start." };
        var window = new Option<string?>("--window") { Description = "Also keep sliding-window counts over this span (a multiple of the interval), for example 5m." };
        var trending = new Option<bool>("--trending") { Description = "Rank the window's hashtags rising fastest against their longer-term rate (needs --window)." };
        var sql = new Option<string?>("--sql") { Description = "A read-only query run after every batch over hashtags(hashtag, total) and window_hashtags(hashtag, count); its rows replace the top N." };
        var maxTags = new Option<int?>("--max-tags") { Description = "Count in bounded memory with this many counters (Space-Saving): totals become approximate, each with its error bound." };

        var cluster = new ClusterCountOptions();
        var command = new Command("count", "Count hashtags exactly and show the top N after every batch (the original notebook).")
        {
            interval, top, output, view, workers, checkpoint, noCheckpoint, fresh, window, trending, sql, maxTags,
        };
        sources.AddTo(command);
        charts.AddTo(command);
        cluster.AddTo(command);
        command.SetAction((parse, _) => CommandRunner.RunAsync("count", async stop =>
        {
            TimeSpan batchInterval = Durations.Parse(parse.GetValue(interval)!, "--interval");
            if (cluster.IsGiven(parse))
            {
                // Options the cluster does not run: refused by name rather than silently ignored.
                ClusterCountOptions.RefuseAny(parse, checkpoint, noCheckpoint, window, trending, sql, maxTags, view, workers);
                return await cluster.RunAsync(
                    parse, sources, charts, batchInterval, parse.GetValue(top), parse.GetValue(output)!, stop).ConfigureAwait(false);
            }

            var options = new HashtagJobOptions
            {
                Interval = batchInterval,
                Top = parse.GetValue(top),
                Workers = parse.GetValue(workers),
                CheckpointDirectory = parse.GetValue(noCheckpoint) || (parse.GetValue(maxTags) is not null && parse.GetResult(checkpoint) is null or { Implicit: true })
                    ? null
                    : parse.GetValue(checkpoint),
                Window = parse.GetValue(window) is { } span ? Durations.Parse(span, "--window") : null,
                Trending = parse.GetValue(trending),
                Sql = parse.GetValue(sql),
                MaxTags = parse.GetValue(maxTags),
                SourceIdentity = sources.CheckpointIdentity(parse, TimeProvider.System),
                FreshCheckpoint = parse.GetValue(fresh),
            };
            // Said with the durations as the user wrote them, before the engine's check says it with its own.
            if (options.Window is { } span1 && (span1 < batchInterval || span1.Ticks % batchInterval.Ticks != 0))
            {
                throw new UsageException($"--window {parse.GetValue(window)} must be a whole number of --interval {parse.GetValue(interval)} batches.");
            }

            if (options.Validate() is { } problem)
            {
                throw new UsageException(problem);
            }

            string chosenView = parse.GetValue(view)!;
            if ((chosenView == "window" && options.Window is null) || (chosenView == "trending" && !options.Trending))
            {
                throw new UsageException($"--view {chosenView} needs {(chosenView == "window" ? "--window" : "--window and --trending")}.");
            }

            var status = new StatusPrinter(Console.Error);
            await using var job = new HashtagJob(position => sources.Create(parse, options.TimeProvider, status, position), options, status);
            try
            {
                job.Open();
            }
            catch (CheckpointSourceException e)
            {
                throw new UsageException(
                    $"the checkpoint in {e.Directory} holds the totals of {e.Recorded}, not of {e.Current}. Continue it with that source, " +
                    "or count this one in another folder (--checkpoint DIR) or without one (--no-checkpoint), or discard it and start over (--fresh).");
            }

            await using IAsyncDisposable output1 = AttachOutput(job, parse.GetValue(output)!, parse.GetValue(sources.Source)!, chosenView);
            await using ChartOutputs chartOutputs = await AttachChartsAsync(job, charts, parse, options.TimeProvider, ViewsOf(options), stop).ConfigureAwait(false);
            await job.RunAsync(stop).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>Starts the dashboard and image files the options ask for and attaches them to <paramref name="job"/>.</summary>
    internal static async Task<ChartOutputs> AttachChartsAsync(
        HashtagJob job, ChartOutputOptions charts, ParseResult parse, TimeProvider time, IReadOnlyList<DashboardView> views, CancellationToken cancellationToken)
    {
        ChartOutputs outputs = await charts.StartAsync(parse, views, time, Console.Error, cancellationToken).ConfigureAwait(false);
        foreach (IBatchSink sink in outputs.Sinks)
        {
            job.AddSink(sink);
        }

        return outputs;
    }

    /// <summary>The views the job produces: all-time always, window and trending when asked for.</summary>
    internal static IReadOnlyList<DashboardView> ViewsOf(HashtagJobOptions options)
    {
        var views = new List<DashboardView> { DashboardView.All };
        if (options.Window is not null)
        {
            views.Add(DashboardView.Window);
        }

        if (options.Trending)
        {
            views.Add(DashboardView.Trending);
        }

        return views;
    }

    /// <summary>Attaches the standard output's sink: JSON lines, or the terminal chart.</summary>
    internal static IAsyncDisposable AttachOutput(HashtagJob job, string output, string sourceName, string view = "all")
    {
        (IBatchSink sink, IAsyncDisposable owner) = CreateOutput(output, sourceName, view);
        job.AddSink(sink);
        return owner;
    }

    /// <summary>The standard output's sink (JSON lines, or the terminal chart) and what to dispose when done with it.</summary>
    internal static (IBatchSink Sink, IAsyncDisposable Owner) CreateOutput(string output, string sourceName, string view = "all")
    {
        if (output == "jsonl")
        {
            Stream stdout = StandardOutput.Open();
            return (new JsonLinesSink(stdout), stdout);
        }

        if (!Console.IsOutputRedirected)
        {
            var live = new TerminalChartSink(AnsiConsole.Console, live: true, sourceName, view);
            return (live, live);
        }

        // Redirected: plain tables through a stream that notices when the reader has gone (`| head`).
        var writer = new StreamWriter(StandardOutput.Open(), new System.Text.UTF8Encoding(false));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No });
        var chart = new TerminalChartSink(console, live: false, sourceName, view);
        return (chart, new OwnedOutput(chart, writer));
    }
}
