using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary>One running app per test class with two tenants: "acme" (admin and read keys) and "other" (admin key).</summary>
public sealed class StatusPageFixture : IAsyncLifetime
{
    private StatusTestHost? _host;

    public StatusTestHost Host => _host ?? throw new InvalidOperationException("Not started.");
    public string AdminKey { get; private set; } = "";
    public string ReadKey { get; private set; } = "";
    public string OtherAdminKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _host = await StatusTestHost.StartAsync();
        AdminKey = await Host.CreateKeyAsync("acme", ApiKeyScopes.Admin | ApiKeyScopes.Read | ApiKeyScopes.Ingest);
        ReadKey = await Host.CreateKeyAsync("acme", ApiKeyScopes.Read);
        OtherAdminKey = await Host.CreateKeyAsync("other", ApiKeyScopes.Admin | ApiKeyScopes.Read);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}
