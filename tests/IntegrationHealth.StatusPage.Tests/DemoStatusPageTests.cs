using System.Net;
using System.Text.Json;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Demo;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary>The demo's status page as <c>demo</c> serves it: the seeded world's page at the site root (the demo's
/// defaults make it the default page), a component per demo provider, the world's incidents as history, the upcoming
/// maintenance.</summary>
public sealed class DemoStatusPageTests
{
    /// <summary>A small world ending at the test host's clock, so the maintenance is upcoming.</summary>
    internal static readonly DemoWorldOptions SmallWorld = new()
    {
        Accounts = 10,
        Days = 30,
        EndUtc = StatusTestHost.Start.UtcDateTime,
        BatchSize = 2_000,
        EventDensity = 0.05,
    };

    [Fact]
    public async Task SeededDemo_PageAtRoot_RendersComponentsHistoryAndMaintenance()
    {
        await using var host = await StatusTestHost.StartAsync(configure: ApiHost.DemoDefaults(SmallWorld.TenantKey));
        Assert.True(await DemoSeeder.SeedIfEmptyAsync(host.Services, SmallWorld));
        var world = DemoWorld.Generate(SmallWorld);
        using var anonymous = host.Client();

        using var response = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.All(DemoCatalog.Providers, p => Assert.Contains(WebUtility.HtmlEncode(p.Name), html));
        Assert.Contains("Salesforce connector upgrade", html);
        Assert.Equal(html, await anonymous.GetStringAsync("/pages/demo"));

        var summary = await Http.GetAsync(anonymous, "/api/v2/summary.json");
        Assert.Equal("Demo SaaS Inc.", summary.GetProperty("page").GetProperty("name").GetString());
        var components = summary.GetProperty("components").EnumerateArray().Where(c => !c.GetProperty("group").GetBoolean()).ToList();
        Assert.Equal(DemoCatalog.Providers.Select(p => p.Name), components.Select(c => c.GetProperty("name").GetString()));
        Assert.All(components, c => Assert.Equal("operational", c.GetProperty("status").GetString()));
        Assert.Equal(4, summary.GetProperty("components").EnumerateArray().Count(c => c.GetProperty("group").GetBoolean()));
        Assert.Empty(summary.GetProperty("incidents").EnumerateArray());
        Assert.Equal("none", summary.GetProperty("status").GetProperty("indicator").GetString());
        var maintenance = Assert.Single(summary.GetProperty("scheduled_maintenances").EnumerateArray());
        Assert.Equal(("Salesforce connector upgrade", "scheduled"), (maintenance.GetProperty("name").GetString(), maintenance.GetProperty("status").GetString()));

        var history = (await Http.GetAsync(anonymous, "/api/v2/incidents.json")).GetProperty("incidents").EnumerateArray()
            .Select(i => (Name: i.GetProperty("name").GetString()!, Status: i.GetProperty("status").GetString()!)).ToList();
        Assert.All(world.Incidents, i => Assert.Contains((i.Description, "resolved"), history));
        var outage = world.Incidents.Single(i => i.Kind == "outage");
        Assert.Contains(WebUtility.HtmlEncode(outage.Description), html);
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v2/components.json"));
        Assert.Equal(components.Count + 4, document.RootElement.GetProperty("components").GetArrayLength());
    }
}
