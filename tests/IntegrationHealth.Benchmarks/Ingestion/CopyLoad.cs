using System.Diagnostics;
using IntegrationHealth.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// The peer and practical limit: raw Npgsql binary COPY straight into <c>telemetry_events</c> (the table the
/// migrations create, with its key and indexes), one COPY per batch on one connection, no dedup step, no HTTP.
/// </summary>
internal static class CopyLoad
{
    private const string Copy =
        "COPY telemetry_events (id, occurred_at, tenant_id, account_id, provider_id, connection_id, kind, outcome, error_class, " +
        "method, http_status, latency_ms, records, rate_limit_remaining, rate_limit_limit, resource, user_id) FROM STDIN (FORMAT BINARY)";

    public static async Task<TimeSpan> RunAsync(string connectionString, IReadOnlyList<TelemetryEvent[]> batches)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await using var importer = await connection.BeginBinaryImportAsync(Copy);
            foreach (var e in batch)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(e.Id, NpgsqlDbType.Uuid);
                await importer.WriteAsync(e.OccurredAt, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(e.TenantId, NpgsqlDbType.Integer);
                await importer.WriteAsync(e.AccountId, NpgsqlDbType.Integer);
                await importer.WriteAsync(e.ProviderId, NpgsqlDbType.Integer);
                await Nullable(importer, e.ConnectionId, NpgsqlDbType.Integer);
                await importer.WriteAsync((short)e.Kind, NpgsqlDbType.Smallint);
                await importer.WriteAsync((short)e.Outcome, NpgsqlDbType.Smallint);
                await importer.WriteAsync((short)e.ErrorClass, NpgsqlDbType.Smallint);
                await importer.WriteAsync((short)e.Method, NpgsqlDbType.Smallint);
                await Nullable(importer, e.HttpStatus, NpgsqlDbType.Smallint);
                await Nullable(importer, e.LatencyMs, NpgsqlDbType.Integer);
                await Nullable(importer, e.Records, NpgsqlDbType.Integer);
                await Nullable(importer, e.RateLimitRemaining, NpgsqlDbType.Integer);
                await Nullable(importer, e.RateLimitLimit, NpgsqlDbType.Integer);
                await Text(importer, e.Resource);
                await Text(importer, e.UserId);
            }
            await importer.CompleteAsync();
        }
        return clock.Elapsed;
    }

    private static Task Nullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type) where T : struct
        => value is { } v ? importer.WriteAsync(v, type) : importer.WriteNullAsync();

    private static Task Text(NpgsqlBinaryImporter importer, string? value)
        => value is null ? importer.WriteNullAsync() : importer.WriteAsync(value, NpgsqlDbType.Varchar);
}
