using System.Net;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary>The server-rendered page as bytes: what it must hold without JavaScript.</summary>
public sealed class HtmlPageTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    internal static async Task<(int Component, int Incident)> ArrangeAsync(HttpClient admin, string slug)
    {
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", $$"""{"slug":"{{slug}}","name":"Acme"}""", 200);
        var existing = await Http.GetAsync(admin, "/v1/status-page/components");
        if (existing.GetArrayLength() > 0)
            return (existing[0].GetProperty("id").GetInt32(), (await Http.GetAsync(admin, "/v1/status-page/incidents"))[0].GetProperty("id").GetInt32());
        var group = (await Http.PostAsync(admin, "/v1/status-page/groups", """{"name":"CRM"}""")).GetProperty("id").GetInt32();
        var component = (await Http.PostAsync(admin, "/v1/status-page/components",
            $$"""{"name":"Salesforce sync","groupId":{{group}},"provider":"salesforce"}""")).GetProperty("id").GetInt32();
        await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"Hidden unless degraded","onlyShowIfDegraded":true}""");
        var incident = (await Http.PostAsync(admin, "/v1/status-page/incidents",
            $$"""{"name":"Sync delays","status":"identified","impact":"major","body":"A vendor API is failing.","components":[{"id":{{component}},"status":"major_outage"}]}""")).GetProperty("id").GetInt32();
        return (component, incident);
    }

    /// <summary>An hour later, and a change (so the cached page is rendered again at the new time).</summary>
    internal static async Task AnHourLaterAsync(StatusTestHost host, HttpClient admin)
    {
        host.Time.Advance(TimeSpan.FromHours(1));
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", """{"slug":"acme-html","name":"Acme"}""", 200);
    }

    [Fact]
    public async Task Page_ShowsIndicatorComponentsBarsAndIncident()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        var (component, incident) = await ArrangeAsync(admin, "acme-html");
        await AnHourLaterAsync(fixture.Host, admin);
        using var anonymous = fixture.Host.Client();
        using var response = await anonymous.GetAsync("/pages/acme-html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html.TrimStart());
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("class=\"overall overall-critical\"", html);
        Assert.Contains("Major System Outage", html);
        Assert.Contains("Salesforce sync", html);
        Assert.DoesNotContain("Hidden unless degraded", html);
        // One bar per day for the one visible component: a disclosure for the day with an incident, a plain bar for the rest.
        Assert.Equal(1, html.Split("<summary").Length - 1);
        Assert.Equal(89, html.Split("<span class=\"bar ").Length - 1);
        // Today's bar names its share and the incident in its tooltip (shown on hover and focus) and to screen readers.
        Assert.Matches(@"<span class=""tip"" aria-hidden=""true"">Nov 30, 2026: 0% uptime, 1 incident\s*<br\s*/?>Sync delays\s*</span>", html); // in a major outage since it was created
        Assert.Matches(@"<span class=""bar b-none"" tabindex=""0""><span class=""tip"">[A-Z][a-z]{2} \d{1,2}, \d{4}: no data</span></span>", html); // the days before it existed: one copy of the text each
        Assert.Contains($"href=\"/pages/acme-html/incidents/{incident}\"", html);
        Assert.Contains("A vendor API is failing.", html);
        Assert.Contains("aria-label=\"Nov 30, 2026: 0% uptime, 1 incident: Sync delays\"", html);
        Assert.Contains("href=\"/pages/acme-html/history.atom\"", html);
        _ = component;
    }

    [Fact]
    public async Task Page_RenderedOnce_ETag304_InvalidatedOnChange()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        var (component, _) = await ArrangeAsync(admin, "acme-html");
        using var anonymous = fixture.Host.Client();
        using var first = await anonymous.GetAsync("/pages/acme-html");
        var bytes = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, await anonymous.GetByteArrayAsync("/pages/acme-html")); // the same rendering
        Assert.Equal(bytes.Length, first.Content.Headers.ContentLength);
        Assert.Equal("utf-8", first.Content.Headers.ContentType!.CharSet);
        Assert.Equal("nosniff", Assert.Single(first.Headers.GetValues("X-Content-Type-Options")));
        var policy = Assert.Single(first.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/pages/acme-html");
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await anonymous.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        await Http.SendAsync(admin, HttpMethod.Patch, $"/v1/status-page/components/{component}", """{"description":"Contacts and accounts"}""", 200);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/pages/acme-html");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var changed = await anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("Contacts and accounts", await changed.Content.ReadAsStringAsync());
        await Http.SendAsync(admin, HttpMethod.Patch, $"/v1/status-page/components/{component}", """{"description":null}""", 200);
    }

    [Fact]
    public async Task IncidentPage_ShowsTimeline_AndUnknownIds404()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        var (_, incident) = await ArrangeAsync(admin, "acme-html");
        using var anonymous = fixture.Host.Client();
        var html = await anonymous.GetStringAsync($"/pages/acme-html/incidents/{incident}");
        Assert.Contains("<h1>Sync delays</h1>", html);
        Assert.Contains("Identified", html);
        Assert.Contains("Salesforce sync: operational → major outage", html);
        using var missing = await anonymous.GetAsync("/pages/acme-html/incidents/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var noPage = await anonymous.GetAsync("/pages/nope");
        Assert.Equal(HttpStatusCode.NotFound, noPage.StatusCode);
    }
}
