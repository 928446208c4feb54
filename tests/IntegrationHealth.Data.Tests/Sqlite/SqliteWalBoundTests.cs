using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace IntegrationHealth.Data.Tests.Sqlite;

/// <summary>The live WAL stays bounded even when readers always overlap, which keeps SQLite from ever restarting it.</summary>
public sealed class SqliteWalBoundTests(SqliteStoreFixture store) : IClassFixture<SqliteStoreFixture>
{
    private const long Bound = 1024 * 1024;

    [Fact]
    public async Task WriteAsync_ReadersAlwaysOverlapping_TheWalIsTruncatedPastItsBound()
    {
        var world = await TestWorld.CreateAsync(store);
        // The first writer of the file in this process: its checkpointer gets the small bound.
        var writer = new SqliteTelemetryWriter(store.Options.EffectiveConnectionString, Bound);
        var wal = new FileInfo(store.DatabasePath + "-wal");
        using var stop = new CancellationTokenSource();
        var readers = Task.Run(() => OverlappingReaders(store.Options.EffectiveConnectionString, stop.Token));

        long largest = 0, shrankTo = long.MaxValue;
        try
        {
            // Until the WAL has been cut back while written to (a few batches past the bound when the machine is idle;
            // a truncation that a starved reader made wait is retried after a back-off), or a generous limit.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            for (var b = 0; b < 150 && shrankTo == long.MaxValue && DateTime.UtcNow < deadline; b++)
            {
                Assert.Equal(new TelemetryWriteResult(500, 0), await writer.WriteAsync(world.Events(500, startMinutes: b * 1_000)));
                var size = Size(wal);
                if (size < largest) shrankTo = Math.Min(shrankTo, size);
                largest = Math.Max(largest, size);
            }

            // Readers still overlapping, no more writes: the checkpointer keeps at it until the WAL is back within bound.
            for (var i = 0; i < 300 && Size(wal) > Bound; i++) await Task.Delay(50);
        }
        finally
        {
            await stop.CancelAsync();
            await readers;
        }

        // Without the truncation the WAL only grows (about 0.5 MB a batch); with it, it is cut back whenever the
        // background checkpointer finds it past the bound (how far it gets in between depends on how busy the machine is).
        Assert.True(writer.WalTruncations > 0, $"no truncating checkpoint ran; the WAL reached {largest:N0} bytes");
        Assert.True(shrankTo < largest, $"the WAL never shrank while written to; it reached {largest:N0} bytes");
        Assert.True(Size(wal) <= Bound, $"the WAL stayed at {Size(wal):N0} bytes with a bound of {Bound:N0}");
    }

    private static long Size(FileInfo file)
    {
        file.Refresh();
        return file.Exists ? file.Length : 0;
    }

    /// <summary>Two read transactions taking turns so that one is always open on a snapshot of the WAL.</summary>
    private static void OverlappingReaders(string connectionString, CancellationToken stop)
    {
        using var first = Open(connectionString);
        using var second = Open(connectionString);
        var (current, next) = (first, second);
        Begin(current);
        while (!stop.IsCancellationRequested)
        {
            Begin(next);
            Execute(current, "COMMIT");
            (current, next) = (next, current);
            Thread.Sleep(5);
        }

        Execute(current, "COMMIT");
    }

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>A read transaction holds its snapshot from its first read on.</summary>
    private static void Begin(SqliteConnection connection)
    {
        Execute(connection, "BEGIN");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT count(*) FROM tenants";
        read.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
