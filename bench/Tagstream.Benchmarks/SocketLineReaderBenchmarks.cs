using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Tagstream.Sources.Lines;

namespace Tagstream.Benchmarks;

/// <summary>
/// The counter's reading path for a feed: 64 MiB of protocol lines sent over a loopback TCP connection, read through
/// <see cref="ReadAheadPipe"/> and <see cref="LineChunkReader"/> into chunks of whole lines (no counting), as
/// <c>FeedSocketSource</c> does. The result is the number of chunks; throughput is 64 MiB over the mean time.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet frees them in [IterationCleanup].")]
public class SocketLineReaderBenchmarks
{
    private const int Bytes = 64 << 20;

    private byte[] _lines = [];
    private Socket _listener = null!;
    private Socket _client = null!;
    private Task _sending = Task.CompletedTask;

    [GlobalSetup]
    public void Setup()
    {
        var stream = new ZipfStream(1_000_000, 1.1, seed: 42);
        _lines = stream.Generate(Bytes);
        _listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
    }

    [GlobalCleanup]
    public void Cleanup() => _listener.Dispose();

    [IterationSetup]
    public void Connect()
    {
        _client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _client.Connect(_listener.LocalEndPoint!);
        var server = _listener.Accept();
        _sending = Task.Run(async () =>
        {
            using (server)
            {
                await server.SendAsync(_lines, SocketFlags.None);
                server.Shutdown(SocketShutdown.Send);
            }
        });
    }

    [IterationCleanup]
    public void Disconnect()
    {
        _sending.GetAwaiter().GetResult();
        _client.Dispose();
    }

    [Benchmark(Description = "Read 64 MiB of lines from a loopback socket")]
    [InvocationCount(1)]
    public async Task<long> ReadAll()
    {
        await using var pipe = ReadAheadPipe.Start(new NetworkStream(_client, ownsSocket: false), ownsStream: true);
        var reader = new LineChunkReader(pipe.Reader);
        long chunks = 0;
        while (true)
        {
            var chunk = await reader.ReadAsync(CancellationToken.None);
            chunks++;
            if (chunk.IsFinal)
            {
                return chunks;
            }
        }
    }
}
