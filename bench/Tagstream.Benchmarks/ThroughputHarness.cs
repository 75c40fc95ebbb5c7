using System.Diagnostics;
using System.Globalization;
using Tagstream.Counting;

namespace Tagstream.Benchmarks;

/// <summary>
/// <c>--throughput FILE [--workers 1,2] [--repeat 3] [--chunk-kib 1024] [--round-kib 128] [--generate-mb 200] [--vocabulary 1000000] [--naive]</c>:
/// counts FILE (generated first with a seeded Zipf(1.1) stream if it does not exist) from memory, in chunks of whole
/// lines, with a fresh counter per run, and prints tags/s (median of the runs) and bytes per distinct tag; with
/// <c>--naive</c> also the naive C# Split + Dictionary counter on the same data, for the ratio. <c>--round-kib</c> sets the
/// bytes each worker tokenizes per round (the counter's internal tuning), to measure its effect.
/// </summary>
internal static class ThroughputHarness
{
    public static int Run(string[] args)
    {
        var file = args[1];
        var workers = Option(args, "--workers", "1,2").Split(',').Select(int.Parse).ToArray();
        var repeat = int.Parse(Option(args, "--repeat", "3"), CultureInfo.InvariantCulture);
        var chunkBytes = int.Parse(Option(args, "--chunk-kib", "1024"), CultureInfo.InvariantCulture) * 1024;
        var tuning = CounterTuning.Default with
        {
            RoundBytes = int.Parse(Option(args, "--round-kib", (CounterTuning.Default.RoundBytes / 1024).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture) * 1024,
        };
        if (!File.Exists(file))
        {
            var megabytes = long.Parse(Option(args, "--generate-mb", "200"), CultureInfo.InvariantCulture);
            var vocabulary = int.Parse(Option(args, "--vocabulary", "1000000"), CultureInfo.InvariantCulture);
            Console.WriteLine($"generating {file}: {megabytes} MB, Zipf(1.1) over {vocabulary} tags, seed 42");
            using var output = new BufferedStream(File.Create(file), 1 << 20);
            new ZipfStream(vocabulary, 1.1, seed: 42).WriteTo(output, megabytes * 1_000_000);
        }

        var data = File.ReadAllBytes(file);
        var chunks = Chunks.OfWholeLines(data, chunkBytes);
        Console.WriteLine($"{file}: {data.Length / 1e6:F0} MB in {chunks.Count} chunks of <= {chunkBytes / 1024} KiB, {Environment.ProcessorCount} cores");
        if (args.Contains("--naive"))
        {
            for (var run = 0; run < repeat; run++)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var (tags, distinct) = NaiveCounter.Count(data);
                watch.Stop();
                var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                Console.WriteLine(
                    $"naive C# run={run + 1}: {tags / 1e6:F1} M tags, {distinct} distinct, {watch.Elapsed.TotalSeconds:F2} s ({cpu:F2} s CPU), " +
                    $"{tags / watch.Elapsed.TotalSeconds / 1e6:F2} M tags/s ({tags / cpu / 1e6:F2} M per CPU-s)");
            }
        }

        foreach (var count in workers)
        {
            var rates = new List<double>();
            for (var run = 0; run < repeat; run++)
            {
                using var counter = new HashtagCounter(new CounterOptions { Workers = count, TopCapacity = 20 }, tuning);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                foreach (var chunk in chunks)
                {
                    counter.Count(chunk);
                }

                counter.CloseBatch();
                var top = counter.Top(20);
                watch.Stop();
                var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                rates.Add(counter.Tags / watch.Elapsed.TotalSeconds);
                Console.WriteLine(
                    $"workers={count} run={run + 1}: {counter.Tags / 1e6:F1} M tags, {counter.DistinctTags} distinct, {watch.Elapsed.TotalSeconds:F2} s ({cpu:F2} s CPU), " +
                    $"{counter.Tags / watch.Elapsed.TotalSeconds / 1e6:F1} M tags/s ({counter.Tags / cpu / 1e6:F1} M per CPU-s), {data.Length / watch.Elapsed.TotalSeconds / 1e6:F0} MB/s, " +
                    $"tables {counter.MemoryBytes / (double)counter.DistinctTags:F1} B/tag, top: {top[0].Hashtag} {top[0].Total}");
            }

            rates.Sort();
            Console.WriteLine($"workers={count}: median {rates[rates.Count / 2] / 1e6:F1} M tags/s");
        }

        return 0;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
