using System.Net;
using System.Text.Json;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary><c>GET /v1/accounts/{id}/notices</c>: only what touches the account's own connections' providers.</summary>
public sealed class NoticesTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    private sealed record World(HttpClient Admin, string ReadKey, int SalesforceIncident, int HubspotIncident, int Running, int Imminent, int Later);

    private async Task<World> ArrangeAsync(string tenant)
    {
        var host = fixture.Host;
        var admin = host.Client(await host.CreateKeyAsync(tenant, ApiKeyScopes.Admin | ApiKeyScopes.Read | ApiKeyScopes.Ingest));
        var readKey = await host.CreateKeyAsync(tenant, ApiKeyScopes.Read);
        await Http.PostAsync(admin, "/v1/accounts", """[{"externalId":"a-1","name":"One"},{"externalId":"a-2","name":"Two"},{"externalId":"a-3","name":"Three"}]""", 200);
        await Http.PostAsync(admin, "/v1/connections", """
            [{"externalId":"c-1","account":"a-1","provider":"salesforce"},
             {"externalId":"c-2","account":"a-1","provider":"hubspot","status":"disabled"},
             {"externalId":"c-3","account":"a-2","provider":"hubspot"}]
            """, 200);
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", $$"""{"slug":"{{tenant}}","name":"Acme","url":"https://status.acme.test"}""", 200);
        var salesforce = (await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"Salesforce contacts","provider":"salesforce","resource":"contacts"}""")).GetProperty("id").GetInt32();
        var hubspot = (await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"HubSpot webhooks","provider":"hubspot"}""")).GetProperty("id").GetInt32();
        var manual = (await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"Dashboard"}""")).GetProperty("id").GetInt32();
        var longBody = string.Join(' ', Enumerable.Repeat("Salesforce answers 503 to most contact reads.", 10));
        var sfIncident = (await Http.PostAsync(admin, "/v1/status-page/incidents",
            $$"""{"name":"Salesforce sync failing","status":"investigating","impact":"major","body":"{{longBody}}","components":[{"id":{{salesforce}},"status":"partial_outage"}]}""")).GetProperty("id").GetInt32();
        var hsIncident = (await Http.PostAsync(admin, "/v1/status-page/incidents",
            $$"""{"name":"HubSpot webhooks delayed","status":"identified","impact":"minor","body":"Webhooks arrive late.","components":[{"id":{{hubspot}},"status":"degraded_performance"}]}""")).GetProperty("id").GetInt32();
        await Http.PostAsync(admin, "/v1/status-page/incidents",
            $$"""{"name":"Dashboard slow","status":"investigating","impact":"minor","body":"Slow.","components":[{"id":{{manual}},"status":"degraded_performance"}]}""");
        var resolved = (await Http.PostAsync(admin, "/v1/status-page/incidents",
            $$"""{"name":"Old Salesforce issue","status":"investigating","impact":"minor","body":"x","components":[{"id":{{salesforce}},"status":"degraded_performance"}]}""")).GetProperty("id").GetInt32();
        await Http.PostAsync(admin, $"/v1/status-page/incidents/{resolved}/updates", """{"status":"resolved","body":"Fixed."}""", 200);

        var now = host.Time.GetUtcNow();
        string At(TimeSpan offset) => (now + offset).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var running = (await Http.PostAsync(admin, "/v1/status-page/maintenances",
            $$"""{"name":"Salesforce connector upgrade","scheduledFor":"{{At(TimeSpan.FromMinutes(5))}}","scheduledUntil":"{{At(TimeSpan.FromHours(2))}}","body":"Upgrading.","componentIds":[{{salesforce}}]}""")).GetProperty("id").GetInt32();
        await Http.PostAsync(admin, $"/v1/status-page/maintenances/{running}/updates", """{"status":"in_progress","body":"Upgrade under way."}""", 200);
        var imminent = (await Http.PostAsync(admin, "/v1/status-page/maintenances",
            $$"""{"name":"Salesforce token rotation","scheduledFor":"{{At(TimeSpan.FromHours(6))}}","scheduledUntil":"{{At(TimeSpan.FromHours(7))}}","body":"Reconnects may be needed.","componentIds":[{{salesforce}}]}""")).GetProperty("id").GetInt32();
        var later = (await Http.PostAsync(admin, "/v1/status-page/maintenances",
            $$"""{"name":"Salesforce API version bump","scheduledFor":"{{At(TimeSpan.FromDays(3))}}","scheduledUntil":"{{At(TimeSpan.FromDays(3) + TimeSpan.FromHours(1))}}","body":"Later.","componentIds":[{{salesforce}}]}""")).GetProperty("id").GetInt32();
        return new World(admin, readKey, sfIncident, hsIncident, running, imminent, later);
    }

    private static List<JsonElement> Notices(JsonElement body) => body.GetProperty("notices").EnumerateArray().ToList();

    [Fact]
    public async Task Notices_OnlyTheAccountsProviders_ActiveAndImminent()
    {
        var world = await ArrangeAsync("notices-one");
        using var reader = fixture.Host.Client(world.ReadKey);

        var one = await Http.GetAsync(reader, "/v1/accounts/a-1/notices");
        Assert.Equal("a-1", one.GetProperty("account").GetString());
        var notices = Notices(one);
        // Incidents first, then maintenance; the disabled HubSpot connection, the resolved incident, the manual
        // component's incident and the maintenance three days out are not there.
        Assert.Equal(new[] { world.SalesforceIncident, world.Running, world.Imminent }.Select(i => i.ToString()).Order(StringComparer.Ordinal),
            notices.Select(n => n.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        var incident = notices[0];
        Assert.Equal("incident", incident.GetProperty("kind").GetString());
        Assert.Equal(world.SalesforceIncident.ToString(), incident.GetProperty("id").GetString());
        Assert.Equal("Salesforce sync failing", incident.GetProperty("title").GetString());
        Assert.Equal("investigating", incident.GetProperty("status").GetString());
        Assert.Equal("major", incident.GetProperty("impact").GetString());
        var message = incident.GetProperty("message").GetString()!;
        Assert.True(message.Length <= 280, message);
        Assert.StartsWith("Salesforce answers 503", message);
        Assert.EndsWith("…", message);
        Assert.Equal(["salesforce"], incident.GetProperty("providers").EnumerateArray().Select(p => p.GetString()!));
        var component = Assert.Single(incident.GetProperty("components").EnumerateArray());
        Assert.Equal("Salesforce contacts", component.GetProperty("name").GetString());
        Assert.Equal("under_maintenance", component.GetProperty("status").GetString()); // the running maintenance covers it
        Assert.Equal($"https://status.acme.test/incidents/{world.SalesforceIncident}", incident.GetProperty("link").GetString());
        Assert.Equal(fixture.Host.Time.GetUtcNow().UtcDateTime, incident.GetProperty("startedAt").GetDateTime().ToUniversalTime(), TimeSpan.FromMinutes(5));

        var running = notices.Single(n => n.GetProperty("id").GetString() == world.Running.ToString());
        Assert.Equal("maintenance", running.GetProperty("kind").GetString());
        Assert.Equal("in_progress", running.GetProperty("status").GetString());
        Assert.Equal("maintenance", running.GetProperty("impact").GetString());
        Assert.Equal("Upgrade under way.", running.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.String, running.GetProperty("scheduledUntil").ValueKind);
        var imminent = notices.Single(n => n.GetProperty("id").GetString() == world.Imminent.ToString());
        Assert.Equal("scheduled", imminent.GetProperty("status").GetString());
        Assert.Equal("Reconnects may be needed.", imminent.GetProperty("message").GetString());

        var two = Notices(await Http.GetAsync(reader, "/v1/accounts/a-2/notices"));
        var hubspot = Assert.Single(two);
        Assert.Equal(world.HubspotIncident.ToString(), hubspot.GetProperty("id").GetString());
        Assert.Equal(["hubspot"], hubspot.GetProperty("providers").EnumerateArray().Select(p => p.GetString()!));
        Assert.Empty(Notices(await Http.GetAsync(reader, "/v1/accounts/a-3/notices")));

        // Resolving the incident takes it off the account's notices at once.
        await Http.PostAsync(world.Admin, $"/v1/status-page/incidents/{world.HubspotIncident}/updates", """{"status":"resolved","body":"Caught up."}""", 200);
        Assert.Empty(Notices(await Http.GetAsync(reader, "/v1/accounts/a-2/notices")));
        _ = world.Later;
    }

    [Fact]
    public async Task Notices_OtherTenantsAccount404_Unknown404_NoKey401_BadId400()
    {
        await ArrangeAsync("notices-two");
        using var other = fixture.Host.Client(fixture.OtherAdminKey);
        await Http.GetAsync(other, "/v1/accounts/a-1/notices", 404); // a-1 is the "notices-two" tenant's
        using var reader = fixture.Host.Client(await fixture.Host.CreateKeyAsync("notices-two", ApiKeyScopes.Read));
        var missing = await Http.GetAsync(reader, "/v1/accounts/nobody/notices", 404);
        Assert.Equal(404, missing.GetProperty("status").GetInt32());
        using var anonymous = fixture.Host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/accounts/a-1/notices")).StatusCode);
        await Http.GetAsync(reader, "/v1/accounts/%00bad/notices", 400);
    }
}
