using Microsoft.Extensions.Options;
using Npgsql;

namespace IntegrationHealth.Data;

/// <summary>Which database engine backs the store.</summary>
public enum StoreProvider
{
    /// <summary>SQLite file database (the default; single writer at a time).</summary>
    Sqlite = 0,

    /// <summary>PostgreSQL server (bulk ingestion by binary COPY, concurrent writers).</summary>
    Postgres = 1,
}

/// <summary>How the PostgreSQL telemetry writer sends a batch (<c>Database:PostgresWriteMode</c>).</summary>
public enum PostgresWriteMode
{
    /// <summary>Npgsql binary COPY straight into the telemetry table (the default). A batch holding an id that is
    /// stored already is written again as in <see cref="Unnest"/>, which skips the stored ids.</summary>
    Copy = 0,

    /// <summary>Always one <c>INSERT … SELECT … FROM unnest(…) … ON CONFLICT (tenant_id, id) DO NOTHING</c> statement with one
    /// binary array parameter per column: one round trip per batch, whether or not it holds stored ids.</summary>
    Unnest = 1,
}

/// <summary>
/// Store settings, bound from the configuration section <c>Database</c> by the configuration binder and checked by
/// <see cref="DatabaseOptionsValidator"/> when the host starts:
/// <c>Database:Provider</c> (<c>sqlite</c> default, or <c>postgres</c>), <c>Database:ConnectionString</c> and
/// <c>Database:PostgresWriteMode</c> (<c>copy</c> default, or <c>unnest</c>).
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary>Name of the configuration section these options are read from.</summary>
    public const string SectionName = "Database";

    /// <summary>Connection string used for SQLite when none is configured.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=./data/integrationhealth.db";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c> (<c>postgresql</c> and <c>npgsql</c> are accepted too).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string. Optional for SQLite (see <see cref="DefaultSqliteConnectionString"/>),
    /// required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How telemetry batches are written on PostgreSQL; ignored on SQLite.</summary>
    public PostgresWriteMode PostgresWriteMode { get; set; } = PostgresWriteMode.Copy;

    /// <summary>Days an accepted event's id is remembered on PostgreSQL for deduplication (<c>Database:TelemetryDedupWindowDays</c>,
    /// default 3): a replay received within this many days of the original is a duplicate; one received later is stored
    /// again. At least <see cref="MinimumDedupWindowDays"/>, at most <see cref="TelemetryRetentionDays"/>. SQLite keeps
    /// its full-history key and deduplicates for as long as the event is retained.</summary>
    public int TelemetryDedupWindowDays { get; set; } = 3;

    /// <summary>Days telemetry is kept after it was received (<c>Database:TelemetryRetentionDays</c>, default 90); older
    /// events are removed by the telemetry maintenance job (whole day partitions on PostgreSQL, chunked deletes on
    /// SQLite). Rollups are never removed by it.</summary>
    public int TelemetryRetentionDays { get; set; } = 90;

    /// <summary>The smallest deduplication window: the 48 hours of lateness the API accepts for retries and replays
    /// (analytics' <c>Rollups:Lateness</c>), so a sender retrying within it is never counted twice.</summary>
    public const int MinimumDedupWindowDays = 2;

    /// <summary>Whether the service applies pending migrations when it starts (off for deployments that migrate
    /// separately).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>The parsed <see cref="Provider"/>.</summary>
    /// <exception cref="InvalidOperationException">The provider name is not one the store supports.</exception>
    public StoreProvider StoreProvider => ParseProvider(Provider);

    /// <summary>The connection string to use: the configured one, or the SQLite default.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is selected but no connection string is configured.</exception>
    public string EffectiveConnectionString => StoreProvider switch
    {
        StoreProvider.Sqlite => string.IsNullOrWhiteSpace(ConnectionString) ? DefaultSqliteConnectionString : ConnectionString,
        _ => string.IsNullOrWhiteSpace(ConnectionString)
            ? throw new InvalidOperationException(
                "Database:Provider is 'postgres' but Database:ConnectionString is empty; set it, e.g. " +
                "'Host=127.0.0.1;Port=5432;Database=integrationhealth;Username=postgres'.")
            : ConnectionString,
    };

    /// <summary>Parses a provider name (case-insensitive).</summary>
    /// <exception cref="InvalidOperationException">The name is not <c>sqlite</c> or <c>postgres</c>.</exception>
    public static StoreProvider ParseProvider(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => StoreProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => StoreProvider.Postgres,
        _ => throw new InvalidOperationException(
            $"Database:Provider '{name}' is not supported; use 'sqlite' (default) or 'postgres'."),
    };
}

/// <summary>
/// Checks <see cref="DatabaseOptions"/> at start-up (<c>ValidateOnStart</c>), so a misconfigured store stops the process
/// with one clear message instead of failing on the first request.
/// </summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var connectionString = options.EffectiveConnectionString; // checks the provider name, and that PostgreSQL has one
            if (options.StoreProvider == StoreProvider.Postgres)
            {
                // Parsed here, so a malformed one stops the start with its setting named instead of being mistaken,
                // later, for a database that is not reachable yet (which the service waits for).
                _ = new NpgsqlConnectionStringBuilder(connectionString);
            }
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
        catch (ArgumentException ex)
        {
            // Npgsql names the keyword or the value's type, never the value itself.
            return ValidateOptionsResult.Fail($"Database:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}");
        }

        if (!Enum.IsDefined(options.PostgresWriteMode))
        {
            return ValidateOptionsResult.Fail($"Database:PostgresWriteMode '{options.PostgresWriteMode}' is not supported; use 'copy' (default) or 'unnest'.");
        }

        if (options.TelemetryRetentionDays is < 1 or > 36_500)
        {
            return ValidateOptionsResult.Fail($"Database:TelemetryRetentionDays must be between 1 and 36500 (it is {options.TelemetryRetentionDays}).");
        }

        if (options.TelemetryDedupWindowDays < DatabaseOptions.MinimumDedupWindowDays || options.TelemetryDedupWindowDays > options.TelemetryRetentionDays)
        {
            return ValidateOptionsResult.Fail(
                $"Database:TelemetryDedupWindowDays must be at least {DatabaseOptions.MinimumDedupWindowDays} (the 48 hours of " +
                $"lateness replays may have) and at most Database:TelemetryRetentionDays ({options.TelemetryRetentionDays}); it is {options.TelemetryDedupWindowDays}.");
        }

        return ValidateOptionsResult.Success;
    }
}
