// Holds many Server-Sent Events connections open against a Tagstream dashboard and reads everything they receive,
// as that many browsers would: the load for the "Dashboard fan-out" figure in docs/performance.md.
//   dotnet run -c Release --project bench/SseLoad -- http://127.0.0.1:4040 1000 [charts]
// With "charts", each client also downloads the batch's SVG chart after each event, as the page does.
// It prints one line when all clients are connected, then the events received each 5 s, until Ctrl+C or SIGTERM.
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

if (args.Length is < 2 or > 3 || !Uri.TryCreate(args[0], UriKind.Absolute, out var url) || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var clients) || clients < 1)
{
    Console.Error.WriteLine("usage: SseLoad DASHBOARD_URL CLIENTS [charts]");
    return 2;
}

var charts = args.Length == 3 && args[2] == "charts";
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = url };
long chartBytes = 0;

using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });

long events = 0, bytes = 0, connected = 0;
var request = Encoding.ASCII.GetBytes($"GET /api/stream HTTP/1.1\r\nHost: {url.Authority}\r\nAccept: text/event-stream\r\n\r\n");
var readers = new Task[clients];
for (var i = 0; i < clients; i++)
{
    readers[i] = ReadAsync(stop.Token);
}

var start = Environment.TickCount64;
while (Interlocked.Read(ref connected) < clients && !stop.IsCancellationRequested)
{
    await Task.Delay(50).ConfigureAwait(false);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"connected {clients} clients in {Environment.TickCount64 - start} ms"));
try
{
    while (!stop.IsCancellationRequested)
    {
        await Task.Delay(5000, stop.Token).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"clients {Interlocked.Read(ref connected)}  events {Interlocked.Read(ref events)}  bytes {Interlocked.Read(ref bytes)}  chart bytes {Interlocked.Read(ref chartBytes)}"));
    }
}
catch (OperationCanceledException)
{
}

await Task.WhenAll(readers).ConfigureAwait(false);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done: events {events}  bytes {bytes}"));
return 0;

async Task ReadAsync(CancellationToken cancellationToken)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    try
    {
        await socket.ConnectAsync(url.Host, url.Port, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref connected);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            Interlocked.Add(ref bytes, read);
            // Every event ends with a blank line; each batch event carries "event: batch".
            var span = buffer.AsSpan(0, read);
            int at;
            var found = false;
            while ((at = span.IndexOf("event: batch"u8)) >= 0)
            {
                Interlocked.Increment(ref events);
                span = span[(at + 12)..];
                found = true;
            }

            if (found && charts)
            {
                var svg = await http.GetByteArrayAsync(new Uri("/api/chart.svg", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref chartBytes, svg.Length);
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
    catch (SocketException e)
    {
        Console.Error.WriteLine($"client: {e.Message}");
    }
}
