using System.CommandLine;
using System.Globalization;
using Tagstream.Cli.Terminal;
using Tagstream.Sources.Live;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>tagstream record</c>: captures a live source's raw payloads to a file that <c>--source replay</c> reads back
/// (X NDJSON, Jetstream JSONL, Mastodon SSE), so a real stream can be replayed for demos and tests.
/// </summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var live = new LiveSourceOptions();
        var source = new Option<string>("--source")
        {
            Description = "The live source to record: x, bluesky or mastodon.",
            Required = true,
            HelpName = "x|bluesky|mastodon",
        };
        source.AcceptOnlyFromAmong(LiveSourceOptions.Kinds);
        var file = new Option<FileInfo>("--file") { Description = "The file to write.", Required = true };
        var limit = new Option<long?>("--limit") { Description = "Stop after this many posts; otherwise record until Ctrl+C." };
        var force = new Option<bool>("--force") { Description = "Overwrite the file when it exists." };
        var terms = new Argument<string[]>("TERM")
        {
            Description = "Search terms, as for feed: X turns them into its stream rule; Bluesky and Mastodon's public stream are filtered by them.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("record", "Record a live source's raw posts to a file for --source replay.");
        command.Add(source);
        command.Add(file);
        command.Add(limit);
        command.Add(force);
        live.AddTo(command);
        command.Add(terms);
        command.SetAction((parse, _) => CommandRunner.RunAsync("record", async stop =>
        {
            if (parse.GetValue(limit) is < 1)
            {
                throw new UsageException("--limit must be at least 1.");
            }

            if (parse.GetValue(terms) is { } given && given.FirstOrDefault(t => t.StartsWith('-')) is { } unknown)
            {
                throw new UsageException($"Unknown option '{unknown}'.");
            }

            FileInfo path = parse.GetValue(file)!;
            if (path.Exists && !parse.GetValue(force))
            {
                throw new UsageException($"{path.FullName} exists; pass --force to overwrite it.");
            }

            await using LiveSource liveSource = live.Create(parse.GetValue(source)!, parse, parse.GetValue(terms) ?? [], TimeProvider.System, new StatusPrinter(Console.Error));
            await using var output = new FileStream(path.FullName, parse.GetValue(force) ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            Console.WriteLine($"Recording {liveSource.Name} to {path.FullName} (Ctrl+C stops)");
            long written = await LiveRecorder.RecordAsync(
                liveSource, output, parse.GetValue(limit),
                post => Console.WriteLine($"{post.Author ?? post.Id}: {string.Join(' ', post.Hashtags)}"),
                stop).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Recorded {written:N0} posts to {path.FullName}."));
            return 0;
        }));
        return command;
    }
}
