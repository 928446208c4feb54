using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Records;

/// <summary>What one page did to the record cache.</summary>
public readonly record struct RecordChanges(int Added, int Updated, int Deleted, int Unchanged)
{
    public static RecordChanges operator +(RecordChanges a, RecordChanges b) =>
        new(a.Added + b.Added, a.Updated + b.Updated, a.Deleted + b.Deleted, a.Unchanged + b.Unchanged);
}

/// <summary>
/// Writes a page of unified records into the record cache within the caller's context (and transaction): one read of
/// the page's remote ids, then an insert for each new record, an update for each whose content hash changed (or that
/// the provider flags deleted), and the pass's generation on every record seen. Change detection is by SHA-256 of the
/// record's JSON, so an unchanged record is not counted as updated.
/// </summary>
internal static class RecordCacheWriter
{
    public static byte[] HashOf(string json) => SHA256.HashData(Encoding.UTF8.GetBytes(json));

    public static async Task<RecordChanges> WriteAsync(IntegrationHealthDbContext db, int tenantId, int connectionId, string model, int generation,
        IReadOnlyList<UnifiedRecord> records, Func<UnifiedRecord, bool> deleted, DateTime now, CancellationToken cancellationToken)
    {
        // The last copy of an id in a page wins (a provider repeating a record within a page).
        var latest = new Dictionary<string, UnifiedRecord>(StringComparer.Ordinal);
        foreach (var record in records) latest[record.RemoteId] = record;
        var ids = latest.Keys.ToList();
        var existing = await db.CachedRecords.Where(r => r.ConnectionId == connectionId && r.Model == model && ids.Contains(r.RemoteId))
            .ToDictionaryAsync(r => r.RemoteId, StringComparer.Ordinal, cancellationToken);

        int added = 0, updated = 0, removed = 0, unchanged = 0;
        foreach (var (id, record) in latest)
        {
            var isDeleted = deleted(record);
            var json = record.Data.ToJsonString();
            var hash = HashOf(json);
            if (!existing.TryGetValue(id, out var row))
            {
                if (isDeleted) continue; // never seen and already gone: nothing to tell readers
                db.CachedRecords.Add(new CachedRecord
                {
                    TenantId = tenantId, ConnectionId = connectionId, Model = model, RemoteId = id, Data = json, Hash = hash,
                    Generation = generation, CreatedAt = now, ModifiedAt = now,
                });
                added++;
                continue;
            }
            row.Generation = generation;
            if (isDeleted)
            {
                if (row.Deleted) { unchanged++; continue; }
                row.Deleted = true;
                row.ModifiedAt = now;
                removed++;
            }
            else if (row.Deleted || !row.Hash.AsSpan().SequenceEqual(hash))
            {
                row.Data = json;
                row.Hash = hash;
                row.Deleted = false;
                row.ModifiedAt = now;
                updated++;
            }
            else
            {
                unchanged++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new RecordChanges(added, updated, removed, unchanged);
    }

    /// <summary>After a full pass: every record of the model the pass did not see is deleted at the provider.</summary>
    public static Task<int> DeleteUnseenAsync(IntegrationHealthDbContext db, int connectionId, string model, int generation, DateTime now,
        CancellationToken cancellationToken) =>
        db.CachedRecords.Where(r => r.ConnectionId == connectionId && r.Model == model && r.Generation != generation && !r.Deleted)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Deleted, true).SetProperty(r => r.ModifiedAt, now), cancellationToken);

    /// <summary>The provider's own record (what <c>deleted_when</c> is evaluated over): <c>remote_data</c>, or the record.</summary>
    public static JsonNode Raw(UnifiedRecord record) => record.Data["remote_data"] ?? record.Data;
}
