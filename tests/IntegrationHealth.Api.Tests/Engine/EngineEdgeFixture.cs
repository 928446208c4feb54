using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.ProviderDoubles;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Engine;

/// <summary>
/// The API with the HubSpot and Pipedrive doubles as its providers (origin overrides, 127.0.0.1 allowed for the
/// proxy): tenant A owns conn-hs (HubSpot) and conn-pd (Pipedrive, a provider A registered), with credentials in the
/// engine's store; tenant B owns conn-b on HubSpot.
/// </summary>
public sealed class EngineEdgeFixture : IAsyncLifetime
{
    public HubSpotDouble HubSpot { get; } = new();
    public PipedriveDouble Pipedrive { get; } = new();
    public ApiTestHost Host { get; private set; } = null!;
    public string AdminA { get; private set; } = "";
    public string ReadA { get; private set; } = "";
    public string AdminB { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await HubSpot.StartAsync();
        await Pipedrive.StartAsync();
        Host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            ["Engine:OriginOverrides:hubspot"] = HubSpot.Origin.GetLeftPart(UriPartial.Authority),
            ["Engine:OriginOverrides:pipedrive"] = Pipedrive.Origin.GetLeftPart(UriPartial.Authority),
            ["Engine:Proxy:AllowedNetworks:0"] = "127.0.0.1/32",
        });
        AdminA = await Host.CreateKeyAsync("tenant-a", ApiKeyScopes.Admin, "a-admin");
        ReadA = await Host.CreateKeyAsync("tenant-a", ApiKeyScopes.Read, "a-read");
        AdminB = await Host.CreateKeyAsync("tenant-b", ApiKeyScopes.Admin, "b-admin");
        using (var a = Host.Client(AdminA))
            await TestHttp.EnsureSuccessAsync(await a.PostAsync("/v1/providers", TestHttp.Json("""[{"key":"pipedrive","name":"Pipedrive","category":"crm"}]""")));
        await Host.SeedAsync(AdminA, ("acct-a", [("conn-hs", "hubspot"), ("conn-pd", "pipedrive")]));
        await Host.SeedAsync(AdminB, ("acct-b", [("conn-b", "hubspot")]));

        var store = Host.Services.GetRequiredService<ICredentialStore>();
        var connections = await Host.QueryAsync(db => db.Connections.ToListAsync());
        foreach (var c in connections)
        {
            var isPipedrive = c.ExternalId == "conn-pd";
            var credentials = isPipedrive
                ? ConnectionCredentials.Of(("api_key", PipedriveDouble.ApiToken))
                : ConnectionCredentials.Of(("client_id", HubSpotDouble.ClientId), ("client_secret", HubSpotDouble.ClientSecret),
                    ("access_token", HubSpot.ValidToken), ("refresh_token", HubSpot.RefreshToken));
            await store.SaveAsync(StoreEngineConnections.CredentialKeyOf(c.TenantId, c.Id), credentials);
        }
        await Host.QueryAsync(db => db.Connections.Where(c => c.ExternalId == "conn-pd")
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Values, "{\"company_domain\":\"acme\"}")));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await HubSpot.DisposeAsync();
        await Pipedrive.DisposeAsync();
    }
}
