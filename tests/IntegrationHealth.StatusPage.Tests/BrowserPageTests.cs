using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary>The page in headless Chromium (Debian's <c>/usr/bin/chromium</c>, installed by tests/run.sh), with an
/// axe-core accessibility scan (WCAG 2.1 A and AA rules) that must find no serious or critical violation.</summary>
public sealed class BrowserPageTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    public sealed class ChromiumFactAttribute : FactAttribute
    {
        public ChromiumFactAttribute()
        {
            if (!File.Exists(Chromium) && !TestServers.IsCi) Skip = $"{Chromium} is missing: apt-get install chromium (tests/run.sh does; on CI this fails instead).";
        }
    }

    [ChromiumFact]
    public async Task Page_InChromium_HasComponentsBarsIncident_AndNoSeriousAxeViolation()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        var (_, incident) = await HtmlPageTests.ArrangeAsync(admin, "acme-browser");
        fixture.Host.Time.Advance(TimeSpan.FromHours(1));
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", """{"slug":"acme-browser","name":"Acme"}""", 200);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync(new Uri(fixture.Host.BaseAddress, "/pages/acme-browser").ToString());
        Assert.Equal(200, response!.Status);

        Assert.Equal("Major System Outage", (await page.Locator("p.overall").InnerTextAsync()).Trim());
        Assert.Equal(1, await page.Locator("div.component h3", new() { HasText = "Salesforce sync" }).CountAsync());
        Assert.Equal(90, await page.Locator("ol.bars li").CountAsync());
        // Days with incidents disclose them (a summary each); the others are one focusable bar with its text.
        Assert.Equal(1, await page.Locator("ol.bars summary").CountAsync());
        Assert.Equal(89, await page.Locator("ol.bars li > span.bar[tabindex='0'] > span.tip").CountAsync());
        Assert.Equal(1, await page.Locator($"section[aria-labelledby='active-heading'] a[href='/pages/acme-browser/incidents/{incident}']").CountAsync());

        // Keyboard: today's bar takes focus and Enter discloses the day's share and incident.
        var today = page.Locator("ol.bars li").Last.Locator("summary");
        // Hover: a day's share and its incidents' names show without a click.
        // A day without incidents keeps its text in the page for screen readers, clipped to 1 px until hovered or focused.
        var yesterday = page.Locator("ol.bars li").Nth(88).Locator("span.bar");
        Assert.True((await yesterday.Locator(".tip").BoundingBoxAsync())!.Width <= 1);
        await yesterday.HoverAsync();
        Assert.True((await yesterday.Locator(".tip").BoundingBoxAsync())!.Width > 100);
        Assert.Contains("no data", await yesterday.Locator(".tip").InnerTextAsync());
        await page.Mouse.MoveAsync(0, 0);
        Assert.True((await yesterday.Locator(".tip").BoundingBoxAsync())!.Width <= 1);
        await yesterday.FocusAsync();
        Assert.True((await yesterday.Locator(".tip").BoundingBoxAsync())!.Width > 100);
        // Keyboard focus shows the same, with the incident's name.
        await today.FocusAsync();
        Assert.True(await today.Locator(".tip").IsVisibleAsync());
        var tip = await today.Locator(".tip").InnerTextAsync();
        Assert.Contains("0% uptime, 1 incident", tip);
        Assert.Contains("Sync delays", tip);
        await page.Keyboard.PressAsync("Enter");
        var detail = page.Locator("ol.bars li").Last.Locator("details p");
        Assert.True(await detail.IsVisibleAsync());
        Assert.Contains("1 incident", await detail.InnerTextAsync());

        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));

        var incidentPage = await browser.NewPageAsync();
        await incidentPage.GotoAsync(new Uri(fixture.Host.BaseAddress, $"/pages/acme-browser/incidents/{incident}").ToString());
        Assert.Equal("Sync delays", (await incidentPage.Locator("h1").InnerTextAsync()).Trim());
        var incidentAxe = await incidentPage.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.DoesNotContain(incidentAxe.Violations, v => v.Impact is "serious" or "critical");
    }
}
