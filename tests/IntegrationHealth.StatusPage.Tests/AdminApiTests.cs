using System.Net;
using System.Text.Json;

namespace IntegrationHealth.StatusPage.Tests;

public sealed class AdminApiTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    private async Task<(HttpClient Client, int ComponentId)> PageWithComponentAsync()
    {
        var client = fixture.Host.Client(fixture.AdminKey);
        await Http.SendAsync(client, HttpMethod.Put, "/v1/status-page", """{"slug":"acme-admin","name":"Acme"}""", 200);
        var component = await Http.PostAsync(client, "/v1/status-page/components", """{"name":"CRM sync","provider":"salesforce"}""");
        return (client, component.GetProperty("id").GetInt32());
    }

    private static void AssertProblem(JsonElement problem, int status, string field)
    {
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
    }

    [Fact]
    public async Task PutPage_BadInput_400NamingEachField()
    {
        using var client = fixture.Host.Client(fixture.AdminKey);
        var problem = await Http.SendAsync(client, HttpMethod.Put, "/v1/status-page",
            """{"slug":"Not A Slug","name":"x","timeZone":"Mars/Olympus","color":"red"}""", 400);
        AssertProblem(problem, 400, "slug");
        AssertProblem(problem, 400, "timeZone");
        AssertProblem(problem, 400, "color");
        await Http.SendAsync(client, HttpMethod.Put, "/v1/status-page", "{\"slug\":\"a\",\"slug\":\"b\",\"name\":\"x\"}", 400);
        await Http.SendAsync(client, HttpMethod.Put, "/v1/status-page", "[1]", 400);
        await Http.SendAsync(client, HttpMethod.Put, "/v1/status-page", "{\"slug\":\"ok\",\"name\":\"\\ud800\"}", 400);
    }

    [Fact]
    public async Task PutPage_OversizedBody_413()
    {
        using var client = fixture.Host.Client(fixture.AdminKey);
        var huge = "{\"slug\":\"acme-big\",\"name\":\"" + new string('a', 70 * 1024) + "\"}";
        await Http.SendAsync(client, HttpMethod.Put, "/v1/status-page", huge, 413);
    }

    [Fact]
    public async Task Component_UnknownProviderAndStatus_400()
    {
        var (client, _) = await PageWithComponentAsync();
        var problem = await Http.PostAsync(client, "/v1/status-page/components",
            """{"name":"x","provider":"nope","overrideStatus":"broken"}""", 400);
        AssertProblem(problem, 400, "provider");
        AssertProblem(problem, 400, "overrideStatus");
    }

    [Fact]
    public async Task OtherTenantsIds_404_AndSlugTaken_409()
    {
        var (_, componentId) = await PageWithComponentAsync();
        using var other = fixture.Host.Client(fixture.OtherAdminKey);
        await Http.SendAsync(other, HttpMethod.Put, "/v1/status-page", """{"slug":"other-page","name":"Other"}""", 200);
        await Http.SendAsync(other, HttpMethod.Patch, $"/v1/status-page/components/{componentId}", """{"name":"mine now"}""", 404);
        await Http.SendAsync(other, HttpMethod.Delete, $"/v1/status-page/components/{componentId}", null, 404);
        await Http.PostAsync(other, "/v1/status-page/incidents",
            $$"""{"name":"x","status":"investigating","impact":"minor","body":"b","components":[{"id":{{componentId}},"status":"major_outage"}]}""", 400);
        await Http.SendAsync(other, HttpMethod.Put, "/v1/status-page", """{"slug":"acme-admin","name":"Taken"}""", 409);
        var components = await Http.GetAsync(other, "/v1/status-page/components");
        Assert.Equal(0, components.GetArrayLength());
    }

    [Fact]
    public async Task ReadKey_IsForbidden()
    {
        using var client = fixture.Host.Client(fixture.ReadKey);
        using var response = await client.GetAsync("/v1/status-page");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Override_WinsOverTelemetry_UntilCleared()
    {
        var (client, componentId) = await PageWithComponentAsync();
        var patched = await Http.SendAsync(client, HttpMethod.Patch, $"/v1/status-page/components/{componentId}", """{"overrideStatus":"partial_outage"}""", 200);
        Assert.Equal("partial_outage", patched.GetProperty("status").GetString());
        Assert.Equal("operational", patched.GetProperty("derivedStatus").GetString());
        patched = await Http.SendAsync(client, HttpMethod.Patch, $"/v1/status-page/components/{componentId}", """{"overrideStatus":null}""", 200);
        Assert.Equal("operational", patched.GetProperty("status").GetString());
    }

    [Fact]
    public async Task IncidentUpdates_RecordComponentsOldAndNewStatus()
    {
        var (client, componentId) = await PageWithComponentAsync();
        var incident = await Http.PostAsync(client, "/v1/status-page/incidents",
            $$"""{"name":"Sync delays","status":"identified","impact":"major","body":"Looking","components":[{"id":{{componentId}},"status":"major_outage"}],"expectedResolutionAt":"2026-11-30T14:00:00Z"}""");
        var id = incident.GetProperty("id").GetInt32();
        Assert.Equal("identified", incident.GetProperty("status").GetString());
        var first = incident.GetProperty("updates")[0];
        Assert.Equal("2026-11-30T14:00:00Z", first.GetProperty("expectedResolutionAt").GetDateTime().ToString("yyyy-MM-ddTHH:mm:ssZ"));
        var affected = first.GetProperty("affectedComponents")[0];
        Assert.Equal("operational", affected.GetProperty("old_status").GetString());
        Assert.Equal("major_outage", affected.GetProperty("new_status").GetString());

        var resolved = await Http.PostAsync(client, $"/v1/status-page/incidents/{id}/updates", """{"status":"resolved","body":"Fixed"}""", 200);
        Assert.NotEqual(JsonValueKind.Null, resolved.GetProperty("resolvedAt").ValueKind);
        var back = resolved.GetProperty("updates")[0].GetProperty("affectedComponents")[0];
        Assert.Equal("major_outage", back.GetProperty("old_status").GetString());
        Assert.Equal("operational", back.GetProperty("new_status").GetString());

        await Http.PostAsync(client, $"/v1/status-page/incidents/{id}/updates", """{"status":"completed","body":"x"}""", 400);
        await Http.PostAsync(client, "/v1/status-page/incidents/999999/updates", """{"status":"resolved","body":"x"}""", 404);
    }

    [Fact]
    public async Task Maintenance_BadWindow_400()
    {
        var (client, _) = await PageWithComponentAsync();
        var problem = await Http.PostAsync(client, "/v1/status-page/maintenances",
            """{"name":"Upgrade","scheduledFor":"2026-12-01T10:00:00Z","scheduledUntil":"2026-12-01T09:00:00Z","body":"b","componentIds":[999999]}""", 400);
        AssertProblem(problem, 400, "scheduledUntil");
        AssertProblem(problem, 400, "componentIds");
        problem = await Http.PostAsync(client, "/v1/status-page/maintenances",
            """{"name":"Upgrade","scheduledFor":"tomorrow","scheduledUntil":"2026-12-01T09:00:00","body":"b"}""", 400);
        AssertProblem(problem, 400, "scheduledFor");
        AssertProblem(problem, 400, "scheduledUntil");
    }
}
