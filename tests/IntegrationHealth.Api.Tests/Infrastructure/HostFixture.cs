using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Api.Tests.Infrastructure;

/// <summary>One running app per test class, over its own temp SQLite file; subclasses adjust settings.</summary>
public class SqliteHostFixture : IAsyncLifetime
{
    private ApiTestHost? _host;

    public ApiTestHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync() => _host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(), Settings);

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}

/// <summary>A host with one tenant ("acme") holding two accounts and connections, and an ingest+read key.</summary>
public class SeededHostFixture : SqliteHostFixture
{
    public string Key { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Key = await Host.CreateKeyAsync("acme", ApiKeyScopes.Ingest | ApiKeyScopes.Read);
        await Host.SeedAsync(Key,
            ("acct-1", [("conn-1", "salesforce")]),
            ("acct-2", [("conn-2", "salesforce"), ("conn-2-hubspot", "hubspot")]));
    }
}
