using System.Diagnostics;
using IntegrationHealth.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// The peer and practical limit: raw Npgsql binary COPY straight into <c>telemetry_events</c> (the table the
/// migrations create, with its key and indexes), one COPY per batch, as many connections at once as the HTTP run has
/// clients, no dedup step, no JSON, no HTTP.
/// </summary>
internal static class CopyLoad
{
    private const string Columns =
        "(id, occurred_at, tenant_id, account_id, provider_id, connection_id, kind, outcome, error_class, " +
        "method, http_status, latency_ms, records, rate_limit_remaining, rate_limit_limit, resource, user_id)";

    private const string Copy = "COPY telemetry_events " + Columns + " FROM STDIN (FORMAT BINARY)";

    /// <summary>Warms the COPY path for at least <paramref name="duration"/> without touching <c>telemetry_events</c>:
    /// the batches are copied again and again into a temporary table of the same shape and indexes, emptied after
    /// each round.</summary>
    public static async Task WarmAsync(string connectionString, IReadOnlyList<TelemetryEvent[]> batches, TimeSpan duration)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE bench_warm (LIKE telemetry_events INCLUDING ALL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await CopyBatchesAsync(connection, batches, "COPY bench_warm " + Columns + " FROM STDIN (FORMAT BINARY)");
            await using var truncate = new NpgsqlCommand("TRUNCATE bench_warm", connection);
            await truncate.ExecuteNonQueryAsync();
        }
    }

    /// <summary>COPYs every batch once into <c>telemetry_events</c>, <paramref name="connections"/> COPYs at a time
    /// (one connection each, batches handed out in order); returns the wall time.</summary>
    public static async Task<TimeSpan> RunAsync(string connectionString, IReadOnlyList<TelemetryEvent[]> batches, int connections = 1)
    {
        var open = new NpgsqlConnection[connections];
        try
        {
            // The same write buffer as the store's writer (a whole batch fits; no blocking sends mid-batch).
            var buffered = new NpgsqlConnectionStringBuilder(connectionString) { WriteBufferSize = 256 * 1024 }.ConnectionString;
            for (var c = 0; c < connections; c++)
            {
                open[c] = new NpgsqlConnection(buffered);
                await open[c].OpenAsync();
            }
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(open.Select(connection => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < batches.Count)
                {
                    await CopyBatchesAsync(connection, [batches[i]], Copy);
                }
            })));
            return clock.Elapsed;
        }
        finally
        {
            foreach (var connection in open)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }

    private static async Task CopyBatchesAsync(NpgsqlConnection connection, IReadOnlyList<TelemetryEvent[]> batches, string copy)
    {
        foreach (var batch in batches)
        {
            await using var importer = await connection.BeginBinaryImportAsync(copy);
            // Synchronous field writes (they fill Npgsql's buffer and block only when it flushes), as the store's
            // writer does: the fastest way Npgsql offers, so the peer is not slowed by 17 awaits per row.
            foreach (var e in batch)
            {
                importer.StartRow();
                importer.Write(e.Id, NpgsqlDbType.Uuid);
                importer.Write(e.OccurredAt, NpgsqlDbType.TimestampTz);
                importer.Write(e.TenantId, NpgsqlDbType.Integer);
                importer.Write(e.AccountId, NpgsqlDbType.Integer);
                importer.Write(e.ProviderId, NpgsqlDbType.Integer);
                Nullable(importer, e.ConnectionId, NpgsqlDbType.Integer);
                importer.Write((short)e.Kind, NpgsqlDbType.Smallint);
                importer.Write((short)e.Outcome, NpgsqlDbType.Smallint);
                importer.Write((short)e.ErrorClass, NpgsqlDbType.Smallint);
                importer.Write((short)e.Method, NpgsqlDbType.Smallint);
                Nullable(importer, e.HttpStatus, NpgsqlDbType.Smallint);
                Nullable(importer, e.LatencyMs, NpgsqlDbType.Integer);
                Nullable(importer, e.Records, NpgsqlDbType.Integer);
                Nullable(importer, e.RateLimitRemaining, NpgsqlDbType.Integer);
                Nullable(importer, e.RateLimitLimit, NpgsqlDbType.Integer);
                Text(importer, e.Resource);
                Text(importer, e.UserId);
            }
            await importer.CompleteAsync();
        }
    }

    private static void Nullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v) importer.Write(v, type);
        else importer.WriteNull();
    }

    private static void Text(NpgsqlBinaryImporter importer, string? value)
    {
        if (value is null) importer.WriteNull();
        else importer.Write(value, NpgsqlDbType.Varchar);
    }
}
