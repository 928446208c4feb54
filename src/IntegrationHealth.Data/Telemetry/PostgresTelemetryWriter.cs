using IntegrationHealth.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// PostgreSQL bulk writer: the batch travels as one binary array per column, and a single statement
/// <c>INSERT … SELECT DISTINCT ON (id) … FROM unnest(…) WITH ORDINALITY … ORDER BY id, ordinal ON CONFLICT (id) DO NOTHING</c>
/// stores it; its row count is the number accepted, the rest of the batch are duplicates.
/// </summary>
/// <remarks>
/// One statement in autocommit is one round trip and atomic (all-or-nothing), with no staging table and no explicit
/// transaction: this replaced "COPY into a temporary staging table, then INSERT … SELECT" (four round trips and a
/// truncate of the staging table at every commit), which measured slower end to end. The statement is auto-prepared
/// on each pooled connection, so PostgreSQL plans it once per connection.
/// Exactly-once under concurrency comes from the primary key: a writer inserting an id another open transaction has
/// just inserted waits for that transaction, then skips the row if it committed (or inserts it if it rolled back).
/// Rows are inserted in id order, so two batches sharing ids take their key locks in the same order and cannot
/// deadlock each other. "ordinal" is the row's position in the batch, so the first of several rows with one id wins
/// (as on SQLite).
/// </remarks>
public sealed class PostgresTelemetryWriter : ITelemetryWriter, IDisposable
{
    private const string Columns =
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

    /// <summary>Creates a writer with its own connection pool on the database of <paramref name="connectionString"/>.</summary>
    public PostgresTelemetryWriter(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Only this writer uses these connections and it leaves no session state behind, so skip the reset.
            NoResetOnClose = true,
        };
        // The one statement is prepared on a connection once it has run twice there (unless the caller set otherwise).
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
