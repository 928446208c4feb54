namespace IntegrationHealth.Api.Tests.Infrastructure;

/// <summary>One running app per test class over a fresh database of a given provider, registering unknown provider
/// keys on first sight (<c>Ingestion:UnknownProviders=register</c>), so that path runs on every engine too.</summary>
public abstract class ServerHostFixture : IAsyncLifetime
{
    private ApiTestHost? _host;

    public ApiTestHost Host => _host ?? throw new InvalidOperationException(
        TestServers.PostgresSkipReason ?? "The host did not start.");

    protected abstract Task<TestDatabase?> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        var database = await CreateDatabaseAsync();
        if (database is not null)
            _host = await ApiTestHost.StartAsync(database, new Dictionary<string, string?> { ["Ingestion:UnknownProviders"] = "register" });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}

public sealed class SqliteServerFixture : ServerHostFixture
{
    protected override Task<TestDatabase?> CreateDatabaseAsync() => Task.FromResult<TestDatabase?>(TestDatabase.Sqlite());
}

/// <summary>A fresh PostgreSQL database on the test server; nothing when PostgreSQL tests are skipped here.</summary>
public sealed class PostgresServerFixture : ServerHostFixture
{
    protected override async Task<TestDatabase?> CreateDatabaseAsync() =>
        TestServers.PostgresSkipReason is null ? await TestDatabase.PostgresAsync("ih_api") : null;
}
