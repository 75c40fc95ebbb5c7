using System.Buffers;
using System.CommandLine;
using System.Text;
using Tagstream.Sources;
using Tagstream.Sources.Lines;
using Tagstream.Sources.Parsing;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>tagstream extract</c>: the feed's transformation as a Unix filter. Reads posts on standard input in any recorded
/// format and writes the hashtags of each post as one protocol line, so that
/// <c>cat dump.jsonl | tagstream extract | tagstream count --source stdin</c> counts a dump.
/// </summary>
internal static class ExtractCommand
{
    private const int FlushBytes = 64 * 1024;

    public static Command Create()
    {
        var format = new Option<string>("--format")
        {
            Description = "The input format; auto detects it from the first lines.",
            DefaultValueFactory = _ => "auto",
        };
        format.AcceptOnlyFromAmong([.. PostFormatNames.All]);
        var command = new Command(
            "extract",
            "Read posts on stdin (X v2 or v1.1 JSON lines, Bluesky Jetstream, Mastodon SSE or WebSocket, text, jsonl-text or "
            + "protocol lines) and write one protocol line of hashtags per post to stdout.")
        {
            format,
        };
        command.SetAction((parseResult, _) => CommandRunner.RunAsync("extract", async stop =>
        {
            if (!PostFormatNames.TryParse(parseResult.GetValue(format), out var postFormat))
            {
                throw new UsageException($"Unknown --format: use one of {string.Join(", ", PostFormatNames.All)}.");
            }

            await using var input = Console.OpenStandardInput();
            await using var output = Console.OpenStandardOutput();
            return await RunAsync(input, output, Console.Error, postFormat, stop).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>
    /// Runs the filter until the input ends or <paramref name="cancellationToken"/> stops it; returns the exit code: 0, or 1
    /// when the input cannot be read or the output written.
    /// </summary>
    public static async Task<int> RunAsync(Stream input, Stream output, TextWriter error, PostFormat format,
        CancellationToken cancellationToken)
    {
        var problems = new ExtractProblemLog(error);
        var lines = new ArrayBufferWriter<byte>(FlushBytes * 2);
        await using var reader = new PostRecordReader(input, format, leaveOpen: true);
        try
        {
            while (true)
            {
                var pending = reader.ReadAsync(cancellationToken);
                if (!pending.IsCompleted && lines.WrittenCount > 0)
                {
                    // The input is waiting: hand what is extracted to the next program now, not when the buffer fills.
                    await FlushAsync(output, lines, cancellationToken).ConfigureAwait(false);
                }

                PostRecord? next;
                try
                {
                    next = await pending.ConfigureAwait(false);
                }
                catch (IOException exception)
                {
                    await error.WriteLineAsync($"tagstream extract: cannot read standard input: {exception.Message}").ConfigureAwait(false);
                    return 1;
                }

                if (next is not { } record)
                {
                    break;
                }

                Handle(record, lines, problems);
                if (lines.WrittenCount >= FlushBytes)
                {
                    await FlushAsync(output, lines, cancellationToken).ConfigureAwait(false);
                }
            }

            await FlushAsync(output, lines, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: hand over what was extracted so far, then stop like the end of the input.
            await FlushAsync(output, lines, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            await error.WriteLineAsync($"tagstream extract: cannot write standard output: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            problems.WriteSummary();
        }

        return 0;
    }

    private static void Handle(PostRecord record, ArrayBufferWriter<byte> lines, ExtractProblemLog problems)
    {
        var outcome = record.Outcome;
        switch (outcome.Kind)
        {
            case ParseOutcomeKind.Post:
                ProtocolLineEncoder.Append(lines, outcome.Post!.Hashtags);
                if (outcome.Problem is { } dropped)
                {
                    problems.Report(record.Line, dropped);
                }

                break;
            case ParseOutcomeKind.StreamError:
                problems.Report(record.Line, "stream error in the input: " + outcome.Error);
                break;
            case ParseOutcomeKind.Malformed:
                problems.Report(record.Line, "skipped: " + outcome.Problem);
                break;
            case ParseOutcomeKind.Skip when outcome.SkipReason == SkipReason.OtherEvent:
                problems.Report(record.Line, "skipped: " + outcome.Problem);
                break;
        }
    }

    private static async ValueTask FlushAsync(Stream output, ArrayBufferWriter<byte> lines, CancellationToken cancellationToken)
    {
        await output.WriteAsync(lines.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        lines.ResetWrittenCount();
    }
}
