using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace Tagstream.Tests.Dashboard;

/// <summary>
/// The page in a real headless Chromium (Debian's, never a downloaded one): it must show, after three pushed updates,
/// exactly the ranking that /api/top returns for that batch, then say when the server is gone and come back by itself.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Page_AfterThreeUpdates_ShowsExactlyTheRankingOfApiTop()
    {
        RequireChromium();
        var stream = new ShowcaseBatches();
        var host = await DashboardHost.StartAsync();
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
            await page.GotoAsync(host.Server.Url.ToString());
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Waiting for data…");

            for (var update = 1; update <= 3; update++)
            {
                await host.Server.Sink.OnBatchAsync(stream.Next(DateTimeOffset.UtcNow), Cancel);
                await Assertions.Expect(page.Locator("#dashboard")).ToHaveAttributeAsync("data-updates", update.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var api = JsonDocument.Parse(await host.Client.GetStringAsync("/api/top", Cancel)).RootElement;
            var expected = api.GetProperty("top").EnumerateArray()
                .Select(static e => (e.GetProperty("hashtag").GetString(), e.GetProperty("total").GetInt64().ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-US"))))
                .ToArray();
            var shown = await page.Locator("#ranking tbody tr").EvaluateAllAsync<string[][]>(
                "rows => rows.map(r => [r.cells[1].textContent, r.cells[2].textContent])");

            Assert.Equal(3, api.GetProperty("batch").GetInt64());
            Assert.Equal("3", await page.Locator("#dashboard").GetAttributeAsync("data-batch"));
            Assert.Equal(20, expected.Length);
            Assert.Equal(expected, shown.Select(static row => ((string?)row[0], row[1])));
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
            await Assertions.Expect(page.Locator("#time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^TIME: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"));
            await Assertions.Expect(page.Locator("#source")).ToHaveTextAsync("synthetic");
            await Assertions.Expect(page.Locator("#batches")).ToHaveTextAsync("3");
            await page.WaitForFunctionAsync("() => { const i = document.getElementById('chart'); return i.complete && i.naturalWidth > 0 && i.src.endsWith('batch=3'); }");
            await Assertions.Expect(page.Locator("#delay")).Not.ToHaveTextAsync("—");
            await SaveScreenshotAsync(page, "dashboard.png");

            // Phone-sized: everything still fits the width (the table scrolls inside its own region if it must).
            await page.SetViewportSizeAsync(390, 844);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                "the page is wider than a phone screen");
            await SaveScreenshotAsync(page, "dashboard-phone.png");

            // The server goes away: the page says so, then reconnects by itself when it is back on the same port.
            var url = host.Server.Url;
            await host.DisposeAsync();
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Disconnected: reconnecting…");
            host = await DashboardHost.StartAsync(address: url.Host, port: url.Port);
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live", new() { Timeout = 20_000 });
        }
        finally
        {
            await host.DisposeAsync();
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
