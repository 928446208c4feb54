namespace IntegrationHealth.Api.Tests.Infrastructure;

/// <summary>One running app per test class over a fresh database of a given provider, registering unknown provider
/// keys on first sight (<c>Ingestion:UnknownProviders=register</c>), so that path runs on every engine too. Subclasses
/// may add settings and prepare the started host (<see cref="StartedAsync"/>).</summary>
public abstract class ServerHostFixture : IAsyncLifetime
{
    private ApiTestHost? _host;

    public ApiTestHost Host => _host ?? throw new InvalidOperationException(
        TestServers.PostgresSkipReason ?? "The host did not start.");

    protected abstract Task<TestDatabase?> CreateDatabaseAsync();

    /// <summary>Settings layered on the host's configuration.</summary>
    protected virtual Dictionary<string, string?> Settings => new() { ["Ingestion:UnknownProviders"] = "register" };

    /// <summary>Runs once the host has started (seeding, jobs).</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var database = await CreateDatabaseAsync();
        if (database is null) return;
        _host = await ApiTestHost.StartAsync(database, Settings);
        await StartedAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    /// <summary>A fresh SQLite file.</summary>
    protected static Task<TestDatabase?> SqliteDatabase() => Task.FromResult<TestDatabase?>(TestDatabase.Sqlite());

    /// <summary>A fresh PostgreSQL database on the test server; nothing when PostgreSQL tests are skipped here.</summary>
    protected static async Task<TestDatabase?> PostgresDatabaseAsync(string prefix) =>
        TestServers.PostgresSkipReason is null ? await TestDatabase.PostgresAsync(prefix) : null;
}

public sealed class SqliteServerFixture : ServerHostFixture
{
    protected override Task<TestDatabase?> CreateDatabaseAsync() => SqliteDatabase();
}

public sealed class PostgresServerFixture : ServerHostFixture
{
    protected override Task<TestDatabase?> CreateDatabaseAsync() => PostgresDatabaseAsync("ih_api");
}
