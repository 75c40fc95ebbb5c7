// What 1000 open dashboards cost the counter's process: the real dashboard (Kestrel, fan-out, SVG per batch) is fed
// batches of 20 hashtags at a fixed interval while bench/SseLoad holds CLIENTS Server-Sent Events connections in
// another process; it prints the CPU time this process spent per batch, with and without the clients.
//   dotnet run -c Release --project bench/DashboardFanOut -- 1000 30 1000 charts
// (clients, batches, interval in ms, and "charts" to have every client also download each chart as the page does). See docs/performance.md, "Dashboard fan-out".
using System.Diagnostics;
using System.Globalization;
using Tagstream;
using Tagstream.Cli.Dashboard;
using Tagstream.Streaming;

if (args.FirstOrDefault() == "render")
{
    // The dashboard's own work per batch, without any client: draw the SVG chart of 20 bars.
    var renderer = new Tagstream.Cli.Charts.ChartRenderer();
    var top = Batch(1).Top;
    for (var i = 0; i < 10; i++)
    {
        renderer.RenderSvg(top, "TIME: 2026-11-26 13:00:00");
    }

    var clock = Stopwatch.StartNew();
    for (var i = 0; i < 50; i++)
    {
        renderer.RenderSvg(top, "TIME: 2026-11-26 13:00:00");
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RenderSvg: {clock.Elapsed.TotalMilliseconds / 50:F1} ms per chart"));
    clock.Restart();
    for (var i = 0; i < 50; i++)
    {
        renderer.RenderPng(top, "TIME: 2026-11-26 13:00:00");
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RenderPng: {clock.Elapsed.TotalMilliseconds / 50:F1} ms per chart"));
    return;
}

var clients = int.Parse(args.ElementAtOrDefault(0) ?? "1000", CultureInfo.InvariantCulture);
var batches = int.Parse(args.ElementAtOrDefault(1) ?? "30", CultureInfo.InvariantCulture);
var interval = TimeSpan.FromMilliseconds(int.Parse(args.ElementAtOrDefault(2) ?? "1000", CultureInfo.InvariantCulture));
var charts = args.ElementAtOrDefault(3) == "charts";
var loadTool = Path.Combine(AppContext.BaseDirectory, "../../../../SseLoad/bin/Release/net10.0/SseLoad.dll");

foreach (var n in new[] { 0, clients })
{
    await using var server = await DashboardServer.StartAsync(
        new DashboardOptions(new Uri("http://127.0.0.1:0"), null, [DashboardView.All]), TimeProvider.System, CancellationToken.None);
    using var load = n == 0 ? null : Process.Start(new ProcessStartInfo("dotnet", [Path.GetFullPath(loadTool), server.Url.ToString(), n.ToString(CultureInfo.InvariantCulture), charts ? "charts" : "events"])
    {
        RedirectStandardOutput = true,
    });
    if (load is not null)
    {
        // SseLoad prints its first line once every client has sent its request; then wait for the server to see them all.
        await load.StandardOutput.ReadLineAsync();
        while (!server.Metrics.Render().Contains($"tagstream_dashboard_clients {n}\n", StringComparison.Ordinal))
        {
            await Task.Delay(50);
        }
    }

    // Warm up first (JIT, ScottPlot's font cache) so that both runs measure the steady state.
    for (var batch = 1; batch <= 5; batch++)
    {
        await server.Sink.OnBatchAsync(Batch(batch), CancellationToken.None);
    }

    load?.Refresh();
    var loadBefore = load?.TotalProcessorTime ?? TimeSpan.Zero;
    var process = Process.GetCurrentProcess();
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    for (var batch = 6; batch < 6 + batches; batch++)
    {
        await server.Sink.OnBatchAsync(Batch(batch), CancellationToken.None);
        await Task.Delay(interval);
    }

    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    load?.Refresh();
    var loadCpu = (load?.TotalProcessorTime ?? TimeSpan.Zero) - loadBefore;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"clients {n,5}{(charts && n > 0 ? " + charts" : "")}: {batches} batches every {interval.TotalMilliseconds} ms; dashboard process CPU {cpu.TotalMilliseconds / batches:F1} ms per batch "
        + $"({100 * cpu.TotalMilliseconds / wall.Elapsed.TotalMilliseconds:F2} % of one core); client process CPU {loadCpu.TotalMilliseconds / batches:F1} ms per batch"));
    if (load is not null)
    {
        load.Kill();
        await load.WaitForExitAsync();
    }
}

static BatchResult Batch(long number)
{
    var top = Enumerable.Range(0, 20).Select(i => new HashtagCount("hashtag" + i.ToString("D2", CultureInfo.InvariantCulture), (20 - i) * 1000 * number)).ToArray();
    return new BatchResult(number, DateTimeOffset.UtcNow, "synthetic", 100_000, 300_000, number * 100_000, number * 300_000, 0, 1_000_000, top);
}
