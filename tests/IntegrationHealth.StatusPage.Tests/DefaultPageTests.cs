using System.Net;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary><c>StatusPage:DefaultPage</c>: the page also at the site root, the same bytes as at /pages/{slug}, the other
/// root routes untouched; without the setting nothing claims <c>/</c>.</summary>
public sealed class DefaultPageTests
{
    [Fact]
    public async Task DefaultPage_ServedAtRoot_SameBytesAsUnderPages_OtherRoutesUntouched()
    {
        await using var host = await StatusTestHost.StartAsync(new Dictionary<string, string?> { ["StatusPage:DefaultPage"] = "acme-root" });
        using var admin = host.Client(await host.CreateKeyAsync("acme", ApiKeyScopes.Admin | ApiKeyScopes.Read));
        using var anonymous = host.Client();

        // Before the page exists, the root is a 404 problem, not an error.
        using (var early = await anonymous.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
            Assert.Equal("application/problem+json", early.Content.Headers.ContentType!.MediaType);
        }

        var (component, incident) = await HtmlPageTests.ArrangeAsync(admin, "acme-root");
        foreach (var (root, pages) in new[]
                 {
                     ("/", "/pages/acme-root"), ($"/incidents/{incident}", $"/pages/acme-root/incidents/{incident}"),
                     ("/api/v2/summary.json", "/pages/acme-root/api/v2/summary.json"), ("/api/v2/incidents/unresolved.json", "/pages/acme-root/api/v2/incidents/unresolved.json"),
                     ("/history.rss", "/pages/acme-root/history.rss"), ("/badge.svg", "/pages/acme-root/badge.svg"),
                     ($"/components/{component}/badge.svg?metric=uptime&window=7d", $"/pages/acme-root/components/{component}/badge.svg?metric=uptime&window=7d"),
                 })
        {
            using var atRoot = await anonymous.GetAsync(root);
            Assert.True(atRoot.StatusCode == HttpStatusCode.OK, $"{root}: {(int)atRoot.StatusCode}");
            Assert.Equal(await anonymous.GetByteArrayAsync(pages), await atRoot.Content.ReadAsByteArrayAsync());
            Assert.Equal(atRoot.Headers.ETag, (await anonymous.GetAsync(pages)).Headers.ETag);
        }
        var html = await anonymous.GetStringAsync("/");
        Assert.Contains("Sync delays", html);
        await Http.GetAsync(anonymous, "/incidents/999999", 404);
        await Http.GetAsync(anonymous, "/badge.svg?window=2d&metric=uptime", 400);

        // The routes that were at the root before are unchanged.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/status-page")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/status-page")).StatusCode);
        var openApi = await anonymous.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"DefaultStatusPageHtml\"", openApi);
        Assert.Contains("\"StatuspageV2SummaryAtRoot\"", openApi);
    }

    [Fact]
    public async Task NoDefaultPage_RootIsNotFound()
    {
        await using var host = await StatusTestHost.StartAsync();
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v2/summary.json")).StatusCode);
        Assert.DoesNotContain("DefaultStatusPageHtml", await anonymous.GetStringAsync("/openapi/v1.json"));
    }

    [Fact]
    public async Task DefaultPage_NotASlug_StopsTheStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await StatusTestHost.StartAsync(new Dictionary<string, string?> { ["StatusPage:DefaultPage"] = "Not A Slug" });
        });
        Assert.Contains("StatusPage:DefaultPage", error.ToString());
    }
}
