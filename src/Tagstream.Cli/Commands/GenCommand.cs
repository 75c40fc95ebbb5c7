using System.CommandLine;
using System.Globalization;
using Tagstream.Sources;
using Tagstream.Sources.Synthetic;

namespace Tagstream.Cli.Commands;

/// <summary>
/// <c>tagstream gen</c>: writes the synthetic stream as protocol lines, for benchmarks, tests and replays. The same
/// options give the same bytes as <c>tagstream feed --source synthetic</c> sends.
/// </summary>
internal static class GenCommand
{
    public static Command Create()
    {
        var posts = new Option<long?>("--posts") { Description = "Write this many posts." };
        var size = new Option<string?>("--size") { Description = "Write whole posts until the output reaches this size, for example 200M or 1G (default 1G when --posts is not given)." };
        var output = new Option<FileInfo?>("--out") { Description = "The file to write; standard output when not given." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the stream.", DefaultValueFactory = _ => 42 };
        var zipf = new Option<double>("--zipf") { Description = "Zipf exponent of hashtag popularity.", DefaultValueFactory = _ => 1.1 };
        var vocabulary = new Option<int>("--vocabulary") { Description = "Distinct hashtags drawn from.", DefaultValueFactory = _ => 1_000_000 };
        var terms = new Argument<string[]>("TERM") { Description = "Terms that appear among the hashtags.", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("gen", "Write a seeded synthetic stream of protocol lines (seed 42, Zipf 1.1 over 1 M tags by default).")
        {
            posts, size, output, seed, zipf, vocabulary, terms,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync("gen", async stop =>
        {
            long? postLimit = parse.GetValue(posts);
            string? sizeText = parse.GetValue(size);
            if (postLimit is < 0)
            {
                throw new UsageException("--posts cannot be negative.");
            }

            long byteLimit = sizeText is not null ? ParseSize(sizeText) : postLimit is null ? 1L << 30 : long.MaxValue;
            var options = new SyntheticOptions
            {
                Seed = parse.GetValue(seed),
                Zipf = parse.GetValue(zipf),
                Vocabulary = parse.GetValue(vocabulary),
                Terms = parse.GetValue(terms) ?? [],
            };
            if (options.Validate() is { } problem)
            {
                throw new UsageException(problem);
            }

            await using var source = new SyntheticSource(options);
            FileInfo? file = parse.GetValue(output);
            Stream stream = file is null ? Console.OpenStandardOutput() : new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
            await using (stream.ConfigureAwait(false))
            {
                await WriteAsync(source, stream, postLimit ?? long.MaxValue, byteLimit, stop).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static async Task WriteAsync(PostSource source, Stream stream, long postLimit, long byteLimit, CancellationToken stop)
    {
        long posts = 0;
        long bytes = 0;
        while (posts < postLimit && bytes < byteLimit)
        {
            PostChunk chunk = await source.ReadAsync(stop).ConfigureAwait(false);
            ReadOnlyMemory<byte> lines = chunk.Lines;
            int end = 0;
            long taken = 0;
            ReadOnlySpan<byte> span = lines.Span;
            while (end < span.Length && posts + taken < postLimit)
            {
                int next = end + span[end..].IndexOf((byte)'\n') + 1;
                if (bytes + next > byteLimit)
                {
                    byteLimit = bytes + end;
                    break;
                }

                end = next;
                taken++;
            }

            await stream.WriteAsync(lines[..end], stop).ConfigureAwait(false);
            posts += taken;
            bytes += end;
        }
    }

    private static long ParseSize(string text)
    {
        string digits = text.TrimEnd('B', 'b');
        long unit = 1;
        if (digits.Length > 0 && char.ToUpperInvariant(digits[^1]) is 'K' or 'M' or 'G')
        {
            unit = char.ToUpperInvariant(digits[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 };
            digits = digits[..^1];
        }

        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value * unit < long.MaxValue
            ? (long)(value * unit)
            : throw new UsageException($"--size must be a size such as 200M or 1G, not '{text}'.");
    }
}
