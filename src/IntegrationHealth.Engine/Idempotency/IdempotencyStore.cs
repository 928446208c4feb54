using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Idempotency;

/// <summary>What a keyed request should do.</summary>
public enum IdempotencyVerdict
{
    /// <summary>First use of the key (or its earlier use expired): run the request, then complete the record.</summary>
    Proceed,
    /// <summary>The key's first request completed with the same fingerprint: answer its stored result.</summary>
    Replay,
    /// <summary>The key's first request is still running: 409.</summary>
    InFlight,
    /// <summary>The key was used with another request (method, target or body): 422.</summary>
    Mismatch,
}

/// <summary>
/// Idempotency records in the store. Claiming a key is an insert: the unique index on (tenant, connection, key) lets
/// exactly one of two concurrent first requests through, in every process and on both stores.
/// </summary>
public sealed class IdempotencyStore(IDbContextFactory<IntegrationHealthDbContext> dbFactory, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    public async Task<(IdempotencyVerdict Verdict, IdempotencyRecord Record)> BeginAsync(int tenantId, int connectionId, string key,
        string requestHash, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var record = new IdempotencyRecord
            {
                TenantId = tenantId, ConnectionId = connectionId, Key = key, RequestHash = requestHash,
                CreatedAt = now, ExpiresAt = now + options.Value.Retention,
            };
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (IdempotencyVerdict.Proceed, record);
            }
            catch (DbUpdateException e) when (StoreErrors.IsDuplicateKey(e) && attempt < 2)
            {
            }

            await using var read = await dbFactory.CreateDbContextAsync(cancellationToken);
            var existing = await read.IdempotencyRecords.AsNoTracking()
                .FirstOrDefaultAsync(r => r.TenantId == tenantId && r.ConnectionId == connectionId && r.Key == key, cancellationToken);
            if (existing is null) continue; // purged or released meanwhile: claim again
            var abandoned = !existing.Completed && existing.CreatedAt + options.Value.InFlightTimeout < now;
            if (existing.ExpiresAt <= now || abandoned)
            {
                // Delete exactly the row seen, so two repeats taking over an expired key cannot both proceed.
                await read.IdempotencyRecords.Where(r => r.Id == existing.Id && r.CreatedAt == existing.CreatedAt).ExecuteDeleteAsync(cancellationToken);
                continue;
            }
            if (existing.RequestHash != requestHash) return (IdempotencyVerdict.Mismatch, existing);
            return (existing.Completed ? IdempotencyVerdict.Replay : IdempotencyVerdict.InFlight, existing);
        }
    }

    public async Task CompleteAsync(IdempotencyRecord record, int status, IReadOnlyDictionary<string, string[]> headers, byte[]? body,
        bool bodyOmitted, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var json = JsonSerializer.Serialize(headers);
        await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Completed, true)
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.Headers, json)
            .SetProperty(r => r.Body, body)
            .SetProperty(r => r.BodyOmitted, bodyOmitted), cancellationToken);
    }

    /// <summary>Gives the key back (the request failed in our process before it had a result), so a retry can run.</summary>
    public async Task ReleaseAsync(IdempotencyRecord record)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync();
    }

    /// <summary>Deletes every record past its expiry; the number deleted.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}

/// <summary>Deletes expired idempotency keys, every 15 minutes (<see cref="Cron"/>).</summary>
public sealed class IdempotencyPurgeJob(IdempotencyStore store, ILogger<IdempotencyPurgeJob> logger) : Web.Jobs.IRecurringJob
{
    public const string Id = "engine-idempotency-purge";
    public const string Cron = "*/15 * * * *";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var purged = await store.PurgeExpiredAsync(cancellationToken);
        if (purged > 0) EngineLog.IdempotencyPurged(logger, purged);
    }
}
