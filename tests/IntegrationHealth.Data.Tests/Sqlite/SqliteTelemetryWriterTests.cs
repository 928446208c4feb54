using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Data.Tests.Sqlite;

/// <summary>SQLite-only behaviour of the writer: group commit of queued batches.</summary>
public sealed class SqliteTelemetryWriterTests(SqliteStoreFixture store) : IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task WriteAsync_BatchesQueuedBehindABusyWriter_CommitTogetherYetFailAlone()
    {
        var world = await TestWorld.CreateAsync(store);
        var writer = Assert.IsType<SqliteTelemetryWriter>(store.Writer);
        var batches = Enumerable.Range(0, 8).Select(b => world.Events(100, startMinutes: b * 1_000)).ToList();
        batches[4][60].LatencyMs = -5; // violates a check: this batch alone must fail
        var committedBefore = writer.CommittedTransactions;
        var enqueuedBefore = writer.EnqueuedBatches;

        // Another connection holds the write lock, so the first batch waits inside its transaction (busy_timeout)
        // while the other seven queue up behind it.
        await using var blocker = await HoldWriteLockAsync();

        var first = Task.Run(() => writer.WriteAsync(batches[0]));
        // Queued and already taken off the queue by its own group: it is now waiting for the blocker's lock.
        await WaitUntil(() => writer.EnqueuedBatches == enqueuedBefore + 1 && writer.QueuedBatches == 0);
        Assert.False(first.IsCompleted);
        var rest = batches.Skip(1).Select(batch => Task.Run(() => writer.WriteAsync(batch))).ToList();
        await WaitUntil(() => writer.QueuedBatches == 7);
        await ReleaseWriteLockAsync(blocker);

        Assert.Equal(new TelemetryWriteResult(100, 0), await first);
        await Assert.ThrowsAsync<SqliteException>(() => rest[3]);
        var results = await Task.WhenAll(rest.Where((_, i) => i != 3));
        Assert.All(results, r => Assert.Equal(new TelemetryWriteResult(100, 0), r));
        // One transaction for the first batch, one for the seven that queued behind it.
        Assert.Equal(2, writer.CommittedTransactions - committedBefore);
        await using var db = store.CreateContext();
        Assert.Equal(700, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
    }

    [Fact]
    public async Task WriteAsync_BatchWaitingForTheFileLock_IsStampedWhenItIsWrittenNotWhenItWasQueued()
    {
        var world = await TestWorld.CreateAsync(store);
        var queuedAt = new DateTime(2033, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var clock = new FakeTimeProvider(new DateTimeOffset(queuedAt, TimeSpan.Zero));
        var writer = new SqliteTelemetryWriter(store.Options.EffectiveConnectionString, clock);
        var enqueuedBefore = writer.EnqueuedBatches;
        await using var blocker = await HoldWriteLockAsync();

        var write = Task.Run(() => writer.WriteAsync(world.Events(50)));
        await WaitUntil(() => writer.EnqueuedBatches == enqueuedBefore + 1 && writer.QueuedBatches == 0);
        // The batch waits for the lock (another writer's long transaction) while its clock moves on.
        clock.Advance(TimeSpan.FromSeconds(20));
        await ReleaseWriteLockAsync(blocker);

        Assert.Equal(new TelemetryWriteResult(50, 0), await write);
        await using var db = store.CreateContext();
        var stamps = await db.TelemetryEvents.Where(e => e.TenantId == world.Tenant.Id).Select(e => e.ReceivedAt).Distinct().ToListAsync();
        Assert.Equal([queuedAt.AddSeconds(20)], stamps);
    }

    [Fact]
    public async Task WriteAsync_Commits_AreCheckpointedIntoTheDatabaseFileInTheBackground()
    {
        var world = await TestWorld.CreateAsync(store);
        var writer = Assert.IsType<SqliteTelemetryWriter>(store.Writer);
        var file = new FileInfo(store.DatabasePath);
        var checkpointsBefore = writer.BackgroundCheckpoints;
        var sizeBefore = file.Length;

        for (var b = 0; b < 4; b++)
        {
            Assert.Equal(new TelemetryWriteResult(1_000, 0), await writer.WriteAsync(world.Events(1_000, startMinutes: b * 1_000)));
        }

        // The commits themselves left the pages in the WAL (below the writer's backstop); the checkpointer thread
        // copies them into the database file, which therefore grows without any further write.
        await WaitUntil(() => writer.BackgroundCheckpoints > checkpointsBefore);
        await WaitUntil(() =>
        {
            file.Refresh();
            return file.Length > sizeBefore + 100_000;
        });
        await using var db = store.CreateContext();
        Assert.Equal(4_000, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
    }

    /// <summary>Another connection taking the file's write lock (<c>BEGIN IMMEDIATE</c>), as a long transaction of
    /// another process would.</summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var blocker = new SqliteConnection(store.Options.ConnectionString);
        await blocker.OpenAsync();
        await using var begin = blocker.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();
        return blocker;
    }

    private static async Task ReleaseWriteLockAsync(SqliteConnection blocker)
    {
        await using var commit = blocker.CreateCommand();
        commit.CommandText = "COMMIT";
        await commit.ExecuteNonQueryAsync();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // Polls a state change driven by other threads; bounded so a broken writer fails the test instead of hanging.
        for (var i = 0; i < 3_000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the writer did not reach the expected state");
    }
}
