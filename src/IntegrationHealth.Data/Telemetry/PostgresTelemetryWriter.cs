using IntegrationHealth.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// PostgreSQL bulk writer, in one of two modes (<see cref="PostgresWriteMode"/>, <c>Database:PostgresWriteMode</c>):
/// <list type="bullet">
/// <item><see cref="PostgresWriteMode.Unnest"/> (default): the batch travels as one binary array per column in a single
/// statement <c>INSERT … SELECT DISTINCT ON (id) … FROM unnest(…) WITH ORDINALITY … ORDER BY id, ordinal ON CONFLICT (id) DO NOTHING</c>,
/// one round trip per batch.</item>
/// <item><see cref="PostgresWriteMode.Copy"/>: Npgsql binary COPY into a per-connection temporary staging table, then
/// one round trip that inserts from it and empties it (see <see cref="PostgresStagingCopy"/>); about three round trips
/// per batch, which measured slower end to end through the API than the unnest statement.</item>
/// </list>
/// Either way the number of rows the INSERT stored is the number accepted, the rest of the batch are duplicates.
/// </summary>
/// <remarks>
/// In both modes the only write to <c>telemetry_events</c> is one autocommitted INSERT statement, so a batch is atomic
/// (all-or-nothing) without an explicit transaction. The unnest statement is auto-prepared on each pooled connection,
/// so PostgreSQL plans it once per connection.
/// Exactly-once under concurrency comes from the primary key: a writer inserting an id another open transaction has
/// just inserted waits for that transaction, then skips the row if it committed (or inserts it if it rolled back).
/// Rows are inserted in id order, so two batches sharing ids take their key locks in the same order and cannot
/// deadlock each other. "ordinal" is the row's position in the batch, so the first of several rows with one id wins
/// (as on SQLite).
/// </remarks>
public sealed class PostgresTelemetryWriter : ITelemetryWriter, IDisposable
{
    /// <summary>The columns of <c>telemetry_events</c> a batch fills, in parameter / COPY order.</summary>
    internal const string Columns =
        "id, occurred_at, tenant_id, account_id, provider_id, connection_id, kind, outcome, error_class, method, " +
        "http_status, latency_ms, records, rate_limit_remaining, rate_limit_limit, resource, user_id";

    private const string InsertSql =
        "INSERT INTO telemetry_events (" + Columns + ") " +
        "SELECT DISTINCT ON (id) " + Columns + " FROM unnest(" +
        "$1::uuid[], $2::timestamptz[], $3::integer[], $4::integer[], $5::integer[], $6::integer[], $7::smallint[], " +
        "$8::smallint[], $9::smallint[], $10::smallint[], $11::smallint[], $12::integer[], $13::integer[], $14::integer[], " +
        "$15::integer[], $16::text[], $17::text[]) WITH ORDINALITY AS b (" + Columns + ", ordinal) " +
        "ORDER BY id, ordinal ON CONFLICT (id) DO NOTHING";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStagingCopy? _copy;

    /// <summary>Creates a writer with its own connection pool on the database of <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">Npgsql connection string of the store's database.</param>
    /// <param name="mode">How batches are sent; the single unnest statement unless told otherwise.</param>
    public PostgresTelemetryWriter(string connectionString, PostgresWriteMode mode = PostgresWriteMode.Unnest)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown PostgreSQL write mode.");
        }

        Mode = mode;
        _copy = mode == PostgresWriteMode.Copy ? new PostgresStagingCopy() : null;
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Only this writer uses these connections. No reset on close: the COPY mode keeps each connection's staging
            // table between batches, and the unnest mode leaves no session state behind.
            NoResetOnClose = true,
        };
        // The unnest statement (and the COPY mode's INSERT … SELECT) is prepared on a connection once it has run twice there (unless the caller set otherwise).
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 4;
            builder.AutoPrepareMinUsages = 2;
        }
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "integrationhealth-telemetry-writer";
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>How this writer sends batches.</summary>
    public PostgresWriteMode Mode { get; }

    /// <summary>Closes the writer's connection pool.</summary>
    public void Dispose() => _dataSource.Dispose();

    /// <inheritdoc />
    public async Task<TelemetryWriteResult> WriteAsync(IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken = default)
    {
        TelemetryBatch.Validate(events);
        if (events.Count == 0)
        {
            return new TelemetryWriteResult(0, 0);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (_copy is not null)
        {
            var copied = await _copy.WriteAsync(connection, events, cancellationToken).ConfigureAwait(false);
            return new TelemetryWriteResult(copied, events.Count - copied);
        }

        await using var command = new NpgsqlCommand(InsertSql, connection);
        AddColumns(command.Parameters, events);
        var accepted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new TelemetryWriteResult(accepted, events.Count - accepted);
    }

    /// <summary>Adds the seventeen column arrays, positional ($1…$17) in <see cref="Columns"/> order.</summary>
    private static void AddColumns(NpgsqlParameterCollection parameters, IReadOnlyList<TelemetryEvent> events)
    {
        var n = events.Count;
        var ids = new Guid[n];
        var occurredAt = new DateTime[n];
        var tenants = new int[n];
        var accounts = new int[n];
        var providers = new int[n];
        var connections = new int?[n];
        var kinds = new short[n];
        var outcomes = new short[n];
        var errorClasses = new short[n];
        var methods = new short[n];
        var statuses = new short?[n];
        var latencies = new int?[n];
        var records = new int?[n];
        var remaining = new int?[n];
        var limits = new int?[n];
        var resources = new string?[n];
        var users = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var e = events[i];
            ids[i] = e.Id;
            occurredAt[i] = TelemetryBatch.ToUtc(e.OccurredAt);
            tenants[i] = e.TenantId;
            accounts[i] = e.AccountId;
            providers[i] = e.ProviderId;
            connections[i] = e.ConnectionId;
            kinds[i] = (short)e.Kind;
            outcomes[i] = (short)e.Outcome;
            errorClasses[i] = (short)e.ErrorClass;
            methods[i] = (short)e.Method;
            statuses[i] = e.HttpStatus;
            latencies[i] = e.LatencyMs;
            records[i] = e.Records;
            remaining[i] = e.RateLimitRemaining;
            limits[i] = e.RateLimitLimit;
            resources[i] = e.Resource;
            users[i] = e.UserId;
        }

        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = occurredAt, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = tenants, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = accounts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = providers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = connections, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<short[]> { TypedValue = kinds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<short[]> { TypedValue = outcomes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<short[]> { TypedValue = errorClasses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<short[]> { TypedValue = methods, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<short?[]> { TypedValue = statuses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = latencies, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = records, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = remaining, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = limits, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = resources, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = users, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }
}
