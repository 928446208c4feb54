using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Upserts;

/// <summary>A validated account item; <see cref="Index"/> is its position in the batch.</summary>
public sealed record AccountItem(
    int Index, string ExternalId, string Name, decimal Arr, AccountSegment Segment, string? Plan, int Seats, string? Csm,
    DateTime? CreatedAt, DateTime? ChurnedAt);

/// <summary>
/// Bulk upsert of accounts by external id. The item is the account's full state: optional fields left out are reset to
/// their defaults, except <c>createdAt</c>, which keeps its stored value when omitted (and is "now" on insert).
/// </summary>
public static class AccountUpserts
{
    public static readonly string[] Fields = ["externalId", "name", "arr", "segment", "plan", "seats", "csm", "createdAt", "churnedAt"];

    public static AccountItem? Read(ItemReader r, DateTime latestUtc)
    {
        var externalId = r.String("externalId", required: true);
        var name = r.String("name", required: true, maxLength: 500);
        var arr = r.Decimal("arr", 0m, 1_000_000_000_000m);
        var segment = r.Choice("segment", WireNames.Segments, WireNames.ParseSegment);
        var plan = r.String("plan");
        var seats = r.Int("seats", 0, 10_000_000);
        var csm = r.String("csm");
        var createdAt = r.Instant("createdAt", latestUtc);
        var churnedAt = r.Instant("churnedAt", latestUtc);
        if (createdAt is { } c && churnedAt is { } ch && ch < c) r.Error("churnedAt", "'churnedAt' must not be before 'createdAt'.");
        if (externalId is null || name is null) return null;
        return new AccountItem(r.Index, externalId, name, arr ?? 0m, segment ?? AccountSegment.Smb, plan, seats ?? 0, csm, createdAt, churnedAt);
    }

    public static async Task<UpsertOutcome> ApplyAsync(
        IntegrationHealthDbContext db, int tenantId, IReadOnlyList<AccountItem> items, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var ids = items.Select(i => i.ExternalId).ToList();
        var existing = await db.Accounts
            .Where(a => a.TenantId == tenantId && ids.Contains(a.ExternalId))
            .ToDictionaryAsync(a => a.ExternalId, StringComparer.Ordinal, cancellationToken);
        int inserted = 0, updated = 0;
        foreach (var item in items)
        {
            if (!existing.TryGetValue(item.ExternalId, out var account))
            {
                account = new Account { TenantId = tenantId, ExternalId = item.ExternalId, Name = item.Name, CreatedAt = item.CreatedAt ?? nowUtc };
                db.Accounts.Add(account);
                inserted++;
            }
            else
            {
                updated++;
            }
            account.Name = item.Name;
            account.Arr = item.Arr;
            account.Segment = item.Segment;
            account.Plan = item.Plan;
            account.Seats = item.Seats;
            account.Csm = item.Csm;
            if (item.CreatedAt is { } createdAt) account.CreatedAt = createdAt;
            account.ChurnedAt = item.ChurnedAt;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new UpsertOutcome(new UpsertResult(inserted, updated), null);
    }
}
