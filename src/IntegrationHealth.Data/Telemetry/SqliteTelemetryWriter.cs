using System.Collections.Concurrent;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;
using Microsoft.Data.Sqlite;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// SQLite bulk writer: one transaction per batch and one prepared <c>INSERT … ON CONFLICT (id) DO NOTHING</c>
/// whose parameters are rebound for every row; the statement's change count tells accepted from duplicate.
/// </summary>
/// <remarks>SQLite has one writer at a time, so writers of the same database file are serialised in-process
/// (a waiting writer queues on a semaphore instead of spinning on SQLITE_BUSY); other processes are covered by
/// <c>busy_timeout</c>. Rows are written in id order so each batch walks the key index in order.</remarks>
public sealed class SqliteTelemetryWriter : ITelemetryWriter
{
    private const string InsertSql =
        "INSERT INTO telemetry_events (id, occurred_at, tenant_id, account_id, provider_id, connection_id, kind, outcome, " +
        "error_class, method, http_status, latency_ms, records, rate_limit_remaining, rate_limit_limit, resource, user_id) " +
        "VALUES ($id, $occurred_at, $tenant_id, $account_id, $provider_id, $connection_id, $kind, $outcome, " +
        "$error_class, $method, $http_status, $latency_ms, $records, $rate_limit_remaining, $rate_limit_limit, $resource, $user_id) " +
        "ON CONFLICT (id) DO NOTHING";

    // One gate per database file, shared by every writer instance in the process.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly SemaphoreSlim _gate;

    /// <summary>Creates a writer for the SQLite database of <paramref name="connectionString"/>.</summary>
    public SqliteTelemetryWriter(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
        var path = SqliteDatabase.FilePath(connectionString);
        var gateKey = path is null ? connectionString : Path.GetFullPath(path);
        _gate = Gates.GetOrAdd(gateKey, _ => new SemaphoreSlim(1, 1));
    }

    /// <inheritdoc />
    public async Task<TelemetryWriteResult> WriteAsync(IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken = default)
    {
        TelemetryBatch.Validate(events);
        if (events.Count == 0)
        {
            return new TelemetryWriteResult(0, 0);
        }

        var rows = SortedRows(events);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Microsoft.Data.Sqlite is synchronous underneath; the async wrappers only add overhead here.
            cancellationToken.ThrowIfCancellationRequested();
            var accepted = Write(rows, cancellationToken);
            return new TelemetryWriteResult(accepted, events.Count - accepted);
        }
        finally
        {
            _gate.Release();
        }
    }

    private int Write((byte[] Id, TelemetryEvent Event)[] rows, CancellationToken cancellationToken)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        SqliteDatabase.ApplyPragmas(connection);
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertSql;
        var p = new SqliteParameter[17];
        string[] names =
        [
            "$id", "$occurred_at", "$tenant_id", "$account_id", "$provider_id", "$connection_id", "$kind", "$outcome",
            "$error_class", "$method", "$http_status", "$latency_ms", "$records", "$rate_limit_remaining",
            "$rate_limit_limit", "$resource", "$user_id",
        ];
        for (var i = 0; i < names.Length; i++)
        {
            p[i] = command.Parameters.Add(names[i], i == 0 ? SqliteType.Blob : i >= 15 ? SqliteType.Text : SqliteType.Integer);
        }

        command.Prepare();
        var accepted = 0;
        for (var r = 0; r < rows.Length; r++)
        {
            if ((r & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var (id, e) = rows[r];
            p[0].Value = id;
            p[1].Value = SqliteUtcTicksConverter.ToUtcTicks(e.OccurredAt);
            p[2].Value = e.TenantId;
            p[3].Value = e.AccountId;
            p[4].Value = e.ProviderId;
            p[5].Value = (object?)e.ConnectionId ?? DBNull.Value;
            p[6].Value = (int)e.Kind;
            p[7].Value = (int)e.Outcome;
            p[8].Value = (int)e.ErrorClass;
            p[9].Value = (int)e.Method;
            p[10].Value = e.HttpStatus is { } status ? (int)status : DBNull.Value;
            p[11].Value = (object?)e.LatencyMs ?? DBNull.Value;
            p[12].Value = (object?)e.Records ?? DBNull.Value;
            p[13].Value = (object?)e.RateLimitRemaining ?? DBNull.Value;
            p[14].Value = (object?)e.RateLimitLimit ?? DBNull.Value;
            p[15].Value = (object?)e.Resource ?? DBNull.Value;
            p[16].Value = (object?)e.UserId ?? DBNull.Value;
            accepted += command.ExecuteNonQuery();
        }

        // Disposing an uncommitted transaction (exception above) rolls the whole batch back.
        transaction.Commit();
        return accepted;
    }

    private static (byte[] Id, TelemetryEvent Event)[] SortedRows(IReadOnlyList<TelemetryEvent> events)
    {
        var rows = new (byte[] Id, TelemetryEvent Event)[events.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = (events[i].Id.ToByteArray(), events[i]);
        }

        // Stable order for equal ids keeps "first occurrence wins" within a batch.
        var order = Enumerable.Range(0, rows.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var c = rows[a].Id.AsSpan().SequenceCompareTo(rows[b].Id);
            return c != 0 ? c : a.CompareTo(b);
        });
        var sorted = new (byte[] Id, TelemetryEvent Event)[rows.Length];
        for (var i = 0; i < order.Length; i++)
        {
            sorted[i] = rows[order[i]];
        }

        return sorted;
    }
}
