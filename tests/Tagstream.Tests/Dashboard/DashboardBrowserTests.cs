using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;

namespace Tagstream.Tests.Dashboard;

/// <summary>
/// The page of a real <c>tagstream demo</c> in a real headless Chromium (Debian's, never a downloaded one): after three
/// pushed updates it shows exactly the ranking /api/top returns for that batch; it says when the server is gone and
/// comes back by itself when the server restarts.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Page_OfTheRealCounter_ShowsExactlyTheRankingOfApiTop()
    {
        RequireChromium();
        // Generous waits for a loaded CI machine: these bound how long to wait for the page, they time nothing.
        Assertions.SetDefaultExpectTimeout(20_000);
        var demo = await DemoProcess.StartAsync(port: 0, Cancel);
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions
            {
                ViewportSize = new ViewportSize { Width = 1280, Height = 1500 },
                Locale = "en-US",
            });
            await page.GotoAsync(demo.Url.ToString());
            await page.WaitForFunctionAsync("() => Number(document.getElementById('dashboard').dataset.updates) >= 3");

            // The counter keeps closing batches: take /api/top's batch, wait for the page to show that batch, and
            // read the page in one script run so the batch number and the rows belong together.
            using var client = new HttpClient { BaseAddress = demo.Url };
            var compared = false;
            for (var attempt = 0; attempt < 10 && !compared; attempt++)
            {
                using var api = JsonDocument.Parse(await client.GetStringAsync("/api/top", Cancel));
                var batch = api.RootElement.GetProperty("batch").GetInt64();
                await page.WaitForFunctionAsync($"() => Number(document.getElementById('dashboard').dataset.batch) >= {batch}");
                var shown = await page.EvaluateAsync<JsonElement>(
                    "() => ({ batch: Number(document.getElementById('dashboard').dataset.batch), " +
                    "rows: [...document.querySelectorAll('#ranking tbody tr')].map(r => [r.cells[1].textContent, r.cells[2].textContent]) })");
                if (shown.GetProperty("batch").GetInt64() != batch)
                {
                    continue;
                }

                var expected = api.RootElement.GetProperty("top").EnumerateArray()
                    .Select(static e => new[] { e.GetProperty("hashtag").GetString()!, e.GetProperty("total").GetInt64().ToString("N0", CultureInfo.GetCultureInfo("en-US")) })
                    .ToArray();
                Assert.Equal(20, expected.Length);
                Assert.Equal(expected, shown.GetProperty("rows").EnumerateArray()
                    .Select(static row => row.EnumerateArray().Select(static cell => cell.GetString()!).ToArray()));
                compared = true;
            }

            Assert.True(compared, "the page never showed the batch that /api/top had just returned");
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
            await Assertions.Expect(page.Locator("#time")).ToHaveTextAsync(new Regex(@"^TIME: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"));
            await Assertions.Expect(page.Locator("#source")).Not.ToHaveTextAsync("—");
            await Assertions.Expect(page.Locator("#posts-rate")).ToHaveTextAsync(new Regex(@"^[\d,.]+$"));
            await page.WaitForFunctionAsync(
                "() => { const i = document.getElementById('chart'); return i.complete && i.naturalWidth > 0 && i.src.endsWith('batch=' + document.getElementById('dashboard').dataset.batch); }");
            await Assertions.Expect(page.Locator("#delay")).Not.ToHaveTextAsync("—");
            await SaveScreenshotAsync(page, "dashboard.png");

            // Phone-sized: everything still fits the width (the chart scrolls inside its own region).
            await page.SetViewportSizeAsync(390, 844);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                "the page is wider than a phone screen");
            await SaveScreenshotAsync(page, "dashboard-phone.png");

            // The server goes away: the page says so, then reconnects by itself when it is back on the same port.
            var port = demo.Url.Port;
            await demo.DisposeAsync();
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Disconnected: reconnecting…");
            var before = await page.Locator("#dashboard").GetAttributeAsync("data-updates");
            demo = await DemoProcess.StartAsync(port, Cancel);
            await Assertions.Expect(page.Locator("#dashboard")).Not.ToHaveAttributeAsync("data-updates", before!, new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        }
        finally
        {
            await demo.DisposeAsync();
        }
    }

    private static void RequireChromium()
    {
        if (File.Exists(Chromium))
        {
            return;
        }

        const string Install = "install Debian's Chromium with `apt-get install chromium`";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{Chromium} is missing under CI: .ci/run must {Install}.");
        }

        Assert.Skip($"{Chromium} is missing: {Install} to run the browser test.");
    }

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.AddAttachment(name, png, "image/png");
        TestContext.Current.SendDiagnosticMessage($"Dashboard screenshot: {path}");
    }
}
