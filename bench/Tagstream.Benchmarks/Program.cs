using BenchmarkDotNet.Running;
using Tagstream.Benchmarks;

// `--throughput FILE ...` measures end-to-end counting on a file; anything else goes to BenchmarkDotNet.
return args is ["--throughput", _, ..]
    ? ThroughputHarness.Run(args)
    : RunBenchmarks(args);

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ZipfStream).Assembly).Run(args);
    return 0;
}
