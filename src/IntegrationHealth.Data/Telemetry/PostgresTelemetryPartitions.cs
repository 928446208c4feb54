using System.Globalization;
using Npgsql;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// The day partitions of <c>telemetry_events</c> (by <c>received_at</c>) and <c>telemetry_dedup</c> (by
/// <c>received_on</c>) on PostgreSQL: created ahead of time, dropped whole once they fall out of retention or the
/// deduplication window. The layout itself comes from the <c>TelemetryVolumeLayout</c> migration.
/// </summary>
/// <remarks>
/// Partitions are named <c>&lt;table&gt;_pYYYYMMDD</c> for the UTC day they hold; the migration's partition for rows that
/// existed before it is <c>&lt;table&gt;_legacy_YYYYMMDD</c>, named for its exclusive upper bound. Creation runs under an
/// advisory lock (two processes creating the same day wait for each other) and a short <c>lock_timeout</c>; a day that
/// a wider partition already covers (the legacy one) is left alone. Dropping first detaches <c>CONCURRENTLY</c>, which
/// waits for running transactions on the parent without blocking new ones, so ingestion never queues behind it; a
/// detach that cannot get its lock in time is retried by the next run.
/// </remarks>
public static class PostgresTelemetryPartitions
{
    /// <summary>The partitioned events table.</summary>
    public const string EventsTable = "telemetry_events";

    /// <summary>The partitioned deduplication window table: <c>(received_on, tenant_id, id)</c>, primary key per day.</summary>
    public const string DedupTable = "telemetry_dedup";

    /// <summary>Days created ahead of today by <see cref="EnsureAsync"/>'s callers.</summary>
    public const int DaysAhead = 3;

    private const long CreateLockKey = 0x7E1E_0016;

    /// <summary>Name of the day partition of <paramref name="table"/> for <paramref name="day"/>.</summary>
    public static string PartitionName(string table, DateOnly day) => $"{table}_p{day:yyyyMMdd}";

    /// <summary>Creates the partitions of both tables for every day from <paramref name="from"/> to
    /// <paramref name="to"/> (inclusive) that does not exist yet; one round trip.</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var sql = new System.Text.StringBuilder("DO $$ BEGIN SET LOCAL lock_timeout = '5s'; PERFORM pg_advisory_xact_lock(")
            .Append(CreateLockKey.ToString(CultureInfo.InvariantCulture)).Append(");");
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var start = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var end = day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Append(sql, PartitionName(EventsTable, day), EventsTable, $"'{start} 00:00:00+00'", $"'{end} 00:00:00+00'");
            Append(sql, PartitionName(DedupTable, day), DedupTable, $"'{start}'", $"'{end}'");
        }

        sql.Append(" END $$;");
        await using var command = new NpgsqlCommand(sql.ToString(), connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        static void Append(System.Text.StringBuilder sql, string name, string parent, string start, string end) =>
            // 42P17 (invalid_object_definition): a wider partition already holds the day (the migration's legacy one).
            sql.Append(" BEGIN CREATE TABLE IF NOT EXISTS ").Append(name).Append(" PARTITION OF ").Append(parent)
                .Append(" FOR VALUES FROM (").Append(start).Append(") TO (").Append(end)
                .Append("); EXCEPTION WHEN invalid_object_definition THEN NULL; END;");
    }

    /// <summary>The partitions of <paramref name="table"/> with the first day after what they hold (exclusive upper bound).</summary>
    public static async Task<List<(string Name, DateOnly End)>> ListAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var partitions = new List<(string, DateOnly)>();
        await using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY c.relname",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            if (TryParseEnd(name, table, out var end))
            {
                partitions.Add((name, end));
            }
        }

        return partitions;
    }

    /// <summary>Detaches (concurrently) and drops every partition of <paramref name="table"/> that holds only days before
    /// <paramref name="cutoff"/>; returns the partitions dropped. <paramref name="beforeDrop"/> runs on the detached
    /// partition first (the events' detail rows are deleted there).</summary>
    public static async Task<List<string>> DropBeforeAsync(NpgsqlConnection connection, string table, DateOnly cutoff,
        Func<string, Task>? beforeDrop, CancellationToken cancellationToken)
    {
        var dropped = new List<string>();
        foreach (var (name, end) in await ListAsync(connection, table, cancellationToken).ConfigureAwait(false))
        {
            if (end > cutoff)
            {
                continue;
            }

            await ExecuteAsync(connection, "SET lock_timeout = '2s'", cancellationToken).ConfigureAwait(false);
            try
            {
                // A detach interrupted earlier leaves the partition "detach pending": finish it instead.
                var pending = await ScalarAsync(connection,
                    $"SELECT inhdetachpending FROM pg_inherits WHERE inhrelid = '{name}'::regclass", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, pending is true
                    ? $"ALTER TABLE {table} DETACH PARTITION {name} FINALIZE"
                    : $"ALTER TABLE {table} DETACH PARTITION {name} CONCURRENTLY", cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled)
            {
                continue; // busy: the next run retries
            }
            finally
            {
                await ExecuteAsync(connection, "RESET lock_timeout", cancellationToken).ConfigureAwait(false);
            }

            if (beforeDrop is not null)
            {
                await beforeDrop(name).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, $"DROP TABLE {name}", cancellationToken).ConfigureAwait(false);
            dropped.Add(name);
        }

        return dropped;
    }

    private static bool TryParseEnd(string name, string table, out DateOnly end)
    {
        end = default;
        if (name.StartsWith(table + "_p", StringComparison.Ordinal)
            && DateOnly.TryParseExact(name[(table.Length + 2)..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            end = day.AddDays(1);
            return true;
        }

        return name.StartsWith(table + "_legacy_", StringComparison.Ordinal)
            && DateOnly.TryParseExact(name[(table.Length + 8)..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out end);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
