using IntegrationHealth.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Testing;

/// <summary>
/// A throwaway database of its own for a test or a test class: a temporary SQLite file
/// (<see cref="SqliteTestDatabase"/>) or a uniquely named database on the PostgreSQL test server
/// (<see cref="PostgresTestDatabase"/>). It starts empty; <see cref="MigrateAsync"/> (or the <c>Migrated…</c>
/// factories) applies the store's own migrations through <see cref="StoreMigrator"/>. Disposing it disposes
/// <see cref="Services"/> first (the store's writers hold connections) and then deletes the file or drops the database.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private ServiceProvider? _services;
    private bool _disposed;

    private protected TestDatabase(string connectionString) => ConnectionString = connectionString;

    /// <summary>The engine.</summary>
    public abstract StoreProvider StoreProvider { get; }

    /// <summary>The engine as the <c>Database:Provider</c> setting names it: <c>sqlite</c> or <c>postgres</c>.</summary>
    public string Provider => StoreProvider == StoreProvider.Postgres ? "postgres" : "sqlite";

    /// <summary>Connection string of this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Store options pointing at this database (a new instance on each call, so a caller may change it).</summary>
    public abstract DatabaseOptions Options { get; }

    /// <summary>A container with the store registered for <see cref="Options"/> by the real
    /// <see cref="StoreServiceCollectionExtensions.AddIntegrationHealthStore(IServiceCollection, DatabaseOptions)"/>,
    /// built on first use and disposed with the database.</summary>
    /// <exception cref="ObjectDisposedException">The database was disposed.</exception>
    public IServiceProvider Services
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _services ??= new ServiceCollection().AddIntegrationHealthStore(Options).BuildServiceProvider();
            }
        }
    }

    /// <summary>The store's pooled context factory from <see cref="Services"/>.</summary>
    public IDbContextFactory<IntegrationHealthDbContext> ContextFactory
        => Services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();

    /// <summary>A new context from <see cref="ContextFactory"/>; the caller disposes it.</summary>
    public IntegrationHealthDbContext CreateContext() => ContextFactory.CreateDbContext();

    /// <summary>Applies the store's migrations with <see cref="StoreMigrator"/>, as the application does at start-up;
    /// a no-op when they are applied already.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => StoreMigrator.MigrateAsync(Services, cancellationToken);

    /// <summary>An empty SQLite database: a file that does not exist yet, in the temporary folder.</summary>
    /// <param name="prefix">Start of the file name (the rest is unique), to tell whose leftovers a file is.</param>
    public static SqliteTestDatabase Sqlite(string prefix = SqliteTestDatabase.DefaultPrefix) => SqliteTestDatabase.Create(prefix);

    /// <summary>A migrated SQLite database (see <see cref="Sqlite"/>).</summary>
    public static Task<SqliteTestDatabase> MigratedSqliteAsync(string prefix = SqliteTestDatabase.DefaultPrefix,
        CancellationToken cancellationToken = default) => MigratedAsync(Sqlite(prefix), cancellationToken);

    /// <summary>Creates an empty database with a unique name on the PostgreSQL test server.</summary>
    /// <param name="prefix">Start of the database name: lower-case letters, digits and underscores, at most 30 characters.</param>
    /// <param name="writeMode">The telemetry write mode put in <see cref="Options"/>.</param>
    /// <param name="adminConnectionString">The server; <see cref="TestServers.RequirePostgresAdmin"/> when null.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <exception cref="InvalidOperationException">No server is configured.</exception>
    public static Task<PostgresTestDatabase> PostgresAsync(string prefix = PostgresTestDatabase.DefaultPrefix,
        PostgresWriteMode writeMode = PostgresWriteMode.Copy, string? adminConnectionString = null,
        CancellationToken cancellationToken = default)
        => PostgresTestDatabase.CreateAsync(prefix, writeMode, adminConnectionString ?? TestServers.RequirePostgresAdmin(), cancellationToken);

    /// <summary>A migrated PostgreSQL database (see <see cref="PostgresAsync"/>).</summary>
    public static async Task<PostgresTestDatabase> MigratedPostgresAsync(string prefix = PostgresTestDatabase.DefaultPrefix,
        PostgresWriteMode writeMode = PostgresWriteMode.Copy, string? adminConnectionString = null,
        CancellationToken cancellationToken = default)
        => await MigratedAsync(await PostgresAsync(prefix, writeMode, adminConnectionString, cancellationToken), cancellationToken);

    /// <summary>Disposes <see cref="Services"/>, then deletes the database. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        ServiceProvider? services;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            services = _services;
            _services = null;
        }

        // First: the store's writers and pools keep connections open, which would keep the file or the database alive.
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        await DeleteAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Deletes the file or drops the database (after <see cref="Services"/> is disposed).</summary>
    private protected abstract ValueTask DeleteAsync();

    private static async Task<T> MigratedAsync<T>(T database, CancellationToken cancellationToken) where T : TestDatabase
    {
        try
        {
            await database.MigrateAsync(cancellationToken);
            return database;
        }
        catch
        {
            // Not handed to the caller, so nobody else would delete it.
            await database.DisposeAsync();
            throw;
        }
    }
}
