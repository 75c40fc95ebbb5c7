using System.CommandLine;
using System.Globalization;
using System.Text;
using Tagstream.Cli.Charts;
using Tagstream.State;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>tagstream chart --from-checkpoint DIR --out top20.png</c>: draws the top-N chart of the state a counter committed
/// to its checkpoint folder, once, without counting anything.
/// </summary>
internal static class ChartCommand
{
    public static Command Create()
    {
        var from = new Option<DirectoryInfo>("--from-checkpoint") { Description = "The counter's checkpoint folder.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The image to write: .png or .svg.", Required = true };
        var top = new Option<int>("--top") { Description = "How many hashtags to draw.", DefaultValueFactory = _ => 20 };

        var command = new Command("chart", "Draw the top hashtags of a checkpoint folder as a PNG or SVG file.") { from, output, top };
        command.SetAction((parse, _) => CommandRunner.RunAsync("chart", async stop =>
        {
            var directory = parse.GetValue(from)!;
            var file = parse.GetValue(output)!;
            var n = parse.GetValue(top);
            if (n is < 1 or > 1000)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--top must be between 1 and 1000, not {n}."));
            }

            var format = file.Extension.ToUpperInvariant() switch
            {
                ".PNG" => ChartFormat.Png,
                ".SVG" => ChartFormat.Svg,
                _ => throw new UsageException($"--out must end in .png or .svg, not '{file.Name}'."),
            };
            if (!directory.Exists)
            {
                throw new UsageException($"--from-checkpoint: there is no folder {directory.FullName}.");
            }

            RecoveredCheckpoint state;
            try
            {
                // Opening recovers exactly what a restarted counter would; it fails while a counter holds the folder.
                using var store = CheckpointStore.Open(directory.FullName, out state);
            }
            catch (CheckpointException e)
            {
                throw new IOException(e.Message, e);
            }

            foreach (var message in state.Messages)
            {
                await Console.Error.WriteLineAsync(message).ConfigureAwait(false);
            }

            if (state.Batch == 0)
            {
                throw new IOException($"{directory.FullName} holds no checkpoint.");
            }

            var ranking = Rank(state.Totals, n);
            var renderer = new ChartRenderer();
            var title = string.Create(CultureInfo.InvariantCulture, $"Checkpoint after batch {state.Batch}: {state.Counters.Tags:N0} hashtags counted");
            if (format == ChartFormat.Png)
            {
                await File.WriteAllBytesAsync(file.FullName, renderer.RenderPng(ranking, title), stop).ConfigureAwait(false);
            }
            else
            {
                await File.WriteAllTextAsync(file.FullName, renderer.RenderSvg(ranking, title), stop).ConfigureAwait(false);
            }

            Console.WriteLine($"Wrote {file.FullName}: the top {ranking.Count} of {state.Totals.Count:N0} hashtags after batch {state.Batch}.");
            return 0;
        }));
        return command;
    }

    /// <summary>The counter's order (docs/DESIGN.md): total descending, then hashtag ascending by UTF-8 bytes.</summary>
    internal static IReadOnlyList<HashtagCount> Rank(IReadOnlyDictionary<byte[], long> totals, int n) =>
        totals
            .OrderByDescending(static pair => pair.Value)
            .ThenBy(static pair => pair.Key, Utf8Order.Instance)
            .Take(n)
            .Select(static pair => new HashtagCount(Encoding.UTF8.GetString(pair.Key), pair.Value))
            .ToArray();
}
