using System.Net;
using System.Xml.Linq;
using IntegrationHealth.StatusPage.Public;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary>The SVG badges parsed as XML: text, colours, accessibility attributes, widths; caching; bad queries.</summary>
public sealed class BadgeTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private sealed record Badge(string Label, string Message, string Colour, string Title, string AriaLabel, double Width, XDocument Document);

    private static async Task<Badge> GetBadgeAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("public, max-age=5", response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.StartsWith("default-src 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var document = XDocument.Parse(text);
        var root = document.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("img", (string?)root.Attribute("role"));
        var texts = root.Descendants(Svg + "text").ToList();
        Assert.Equal(2, texts.Count);
        var rects = root.Elements(Svg + "g").First().Elements(Svg + "rect").ToList();
        var width = double.Parse((string)root.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
        // Each part is as wide as its measured text plus padding, and the parts add up to the badge.
        foreach (var (t, rect) in texts.Zip(rects))
        {
            var measured = Math.Ceiling(StatusBadge.TextWidth(t.Value));
            Assert.Equal(measured, double.Parse((string)t.Attribute("textLength")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(measured + 12, double.Parse((string)rect.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(width, rects.Take(2).Sum(r => double.Parse((string)r.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture)));
        return new Badge(texts[0].Value, texts[1].Value, (string)rects[1].Attribute("fill")!, root.Element(Svg + "title")!.Value,
            (string)root.Attribute("aria-label")!, width, document);
    }

    private async Task<(HttpClient Admin, int Component)> ArrangeAsync(string slug)
    {
        var admin = fixture.Host.Client(await fixture.Host.CreateKeyAsync(slug, ApiKeyScopes.Admin | ApiKeyScopes.Read));
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", $$"""{"slug":"{{slug}}","name":"Acme"}""", 200);
        var component = (await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"Salesforce sync","provider":"salesforce"}""")).GetProperty("id").GetInt32();
        return (admin, component);
    }

    [Theory]
    [InlineData("operational", "operational", "#1e7e34", "operational")]
    [InlineData("degraded_performance", "degraded performance", "#8a5a00", "degraded performance")]
    [InlineData("partial_outage", "partial outage", "#b34700", "partial outage")]
    [InlineData("major_outage", "major outage", "#b00020", "major outage")]
    [InlineData("under_maintenance", "under maintenance", "#0b57d0", "under maintenance")]
    public async Task StatusBadge_TextAndColourPerStatus(string status, string message, string colour, string pageMessage)
    {
        var slug = "badge-" + status.Replace('_', '-');
        var (admin, component) = await ArrangeAsync(slug);
        await Http.SendAsync(admin, HttpMethod.Patch, $"/v1/status-page/components/{component}", $$"""{"overrideStatus":"{{status}}"}""", 200);
        using var anonymous = fixture.Host.Client();
        var badge = await GetBadgeAsync(anonymous, $"/pages/{slug}/components/{component}/badge.svg");
        Assert.Equal("status", badge.Label);
        Assert.Equal(message, badge.Message);
        Assert.Equal(colour, badge.Colour);
        Assert.Equal($"status: {message}", badge.Title);
        Assert.Equal(badge.Title, badge.AriaLabel);

        var page = await GetBadgeAsync(anonymous, $"/pages/{slug}/badge.svg?metric=status");
        Assert.Equal("status", page.Label);
        Assert.Equal(pageMessage, page.Message);
        Assert.Equal(colour, page.Colour);
    }

    [Fact]
    public async Task UptimeBadge_ShareOverWindow_FromTheStatusRecord()
    {
        var (admin, component) = await ArrangeAsync("badge-uptime");
        using var anonymous = fixture.Host.Client();
        // Operational for 12 hours, then a major outage for 12 hours: 50% over the last 24 h.
        fixture.Host.Time.Advance(TimeSpan.FromHours(12));
        await Http.SendAsync(admin, HttpMethod.Patch, $"/v1/status-page/components/{component}", """{"overrideStatus":"major_outage"}""", 200);
        fixture.Host.Time.Advance(TimeSpan.FromHours(12));
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", """{"slug":"badge-uptime","name":"Acme"}""", 200); // a change: rendered at the new time

        var day = await GetBadgeAsync(anonymous, $"/pages/badge-uptime/components/{component}/badge.svg?metric=uptime&window=24h");
        Assert.Equal("uptime 24h", day.Label);
        Assert.Equal("50%", day.Message);
        Assert.Equal("#b00020", day.Colour);
        Assert.Equal("uptime 24h: 50%", day.AriaLabel);
        // The component exists for one day only, so the longer windows count that day too.
        var month = await GetBadgeAsync(anonymous, $"/pages/badge-uptime/components/{component}/badge.svg?metric=uptime");
        Assert.Equal("uptime 30d", month.Label);
        Assert.Equal("50%", month.Message);
        var page = await GetBadgeAsync(anonymous, "/pages/badge-uptime/badge.svg?metric=uptime&window=7d");
        Assert.Equal("uptime 7d", page.Label);
        Assert.Equal("50%", page.Message);

        // Back to telemetry (operational) for 24 more hours: 75% over 48 h, 50% → 100% over the last 24 h.
        await Http.SendAsync(admin, HttpMethod.Patch, $"/v1/status-page/components/{component}", """{"overrideStatus":null}""", 200);
        fixture.Host.Time.Advance(TimeSpan.FromHours(24));
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", """{"slug":"badge-uptime","name":"Acme"}""", 200);
        var later = await GetBadgeAsync(anonymous, $"/pages/badge-uptime/components/{component}/badge.svg?metric=uptime&window=90d");
        Assert.Equal("75%", later.Message);
        Assert.Equal("#b00020", later.Colour);
        var lastDay = await GetBadgeAsync(anonymous, $"/pages/badge-uptime/components/{component}/badge.svg?metric=uptime&window=24h");
        Assert.Equal("100%", lastDay.Message);
        Assert.Equal("#1e7e34", lastDay.Colour);
    }

    [Theory]
    [InlineData("?metric=uptime&window=1y", "window")]
    [InlineData("?metric=latency", "metric")]
    [InlineData("?metric=status&window=7d", "window")]
    [InlineData("?window=24H&metric=uptime", "window")]
    public async Task BadQuery_400ProblemNamingTheParameter(string query, string field)
    {
        var (_, component) = await ArrangeAsync("badge-bad");
        using var anonymous = fixture.Host.Client();
        foreach (var path in new[] { $"/pages/badge-bad/badge.svg{query}", $"/pages/badge-bad/components/{component}/badge.svg{query}" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
            Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        }
    }

    [Fact]
    public async Task Badge_UnknownComponentOrPage404_ETag304_InvalidatedOnChange()
    {
        var (admin, component) = await ArrangeAsync("badge-cache");
        using var other = fixture.Host.Client(await fixture.Host.CreateKeyAsync("badge-other", ApiKeyScopes.Admin));
        await Http.SendAsync(other, HttpMethod.Put, "/v1/status-page", """{"slug":"badge-other","name":"Other"}""", 200);
        var foreign = (await Http.PostAsync(other, "/v1/status-page/components", """{"name":"Theirs"}""")).GetProperty("id").GetInt32();
        using var anonymous = fixture.Host.Client();
        await Http.GetAsync(anonymous, $"/pages/badge-cache/components/{foreign}/badge.svg", 404); // another page's component
        await Http.GetAsync(anonymous, "/pages/badge-cache/components/999999/badge.svg", 404);
        await Http.GetAsync(anonymous, "/pages/badge-none/badge.svg", 404);

        var path = $"/pages/badge-cache/components/{component}/badge.svg";
        using var first = await anonymous.GetAsync(path);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await anonymous.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        await Http.SendAsync(admin, HttpMethod.Patch, $"/v1/status-page/components/{component}", """{"overrideStatus":"partial_outage"}""", 200);
        var after = await GetBadgeAsync(anonymous, path);
        Assert.Equal("partial outage", after.Message);
    }
}
