using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Data;

/// <summary>Brings the database to the current schema at start-up.</summary>
public static class StoreMigrator
{
    /// <summary>
    /// Applies pending migrations with the registered <see cref="IDbContextFactory{TContext}"/>. On SQLite it first
    /// switches the file to WAL (persistent; readers no longer block the writer); the per-connection pragmas
    /// (page_size for a new file, synchronous=NORMAL, cache_size, busy_timeout, foreign_keys) are applied on every
    /// connection open, so a file this call creates gets its page size (SqliteDatabase.PageSize) before WAL fixes it.
    /// On PostgreSQL it afterwards moves identity sequences past seeded rows, and (this overload) creates today's and the
    /// next days' telemetry partitions.
    /// </summary>
    /// <returns>The ids of the migrations applied, oldest first; empty when the schema was current.</returns>
    public static async Task<IReadOnlyList<string>> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var factory = services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
        await using var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var applied = await MigrateAsync(context, cancellationToken).ConfigureAwait(false);
        if (context.StoreProvider == StoreProvider.Postgres && context.Database.GetDbConnection() is Npgsql.NpgsqlConnection connection)
        {
            // Today's and the next days' telemetry partitions, before the first batch arrives (the writer and the
            // maintenance job create them too; this is the start-up part).
            var today = DateOnly.FromDateTime((services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow().UtcDateTime);
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Telemetry.PostgresTelemetryPartitions.EnsureAsync(connection, today,
                    today.AddDays(Telemetry.PostgresTelemetryPartitions.DaysAhead), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await context.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }

        return applied;
    }

    /// <summary>Applies pending migrations through <paramref name="context"/> (see the other overload).</summary>
    /// <returns>The ids of the migrations applied, oldest first; empty when the schema was current.</returns>
    public static async Task<IReadOnlyList<string>> MigrateAsync(IntegrationHealthDbContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var provider = context.StoreProvider;
        if (provider == StoreProvider.Sqlite)
        {
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }

        // Read before migrating, for the caller's log; with several processes starting at once another may apply some of
        // these first (EF's migration lock serialises them), which only makes the list an upper bound.
        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);

        if (provider == StoreProvider.Postgres)
        {
            // HasData inserts explicit ids without advancing the identity sequence; without this the first provider
            // added at run time would collide with the seeded catalogue.
            await context.Database.ExecuteSqlRawAsync(
                "SELECT setval(pg_get_serial_sequence('providers', 'id'), GREATEST((SELECT MAX(id) FROM providers), 1))",
                cancellationToken).ConfigureAwait(false);
        }

        return pending;
    }
}
