using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Api.Ingestion;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Upserts;

/// <summary>A validated support-ticket item.</summary>
public sealed record SupportTicketItem(
    int Index, string ExternalId, string Account, string? Provider, string Subject, string Priority, DateTime OpenedAt, DateTime? ClosedAt);

/// <summary>Bulk upsert of support tickets by external id.</summary>
public static class SupportTicketUpserts
{
    public static readonly string[] Fields = ["externalId", "account", "provider", "subject", "priority", "openedAt", "closedAt"];

    public static SupportTicketItem? Read(ItemReader r, DateTime latestUtc)
    {
        var externalId = r.String("externalId", required: true);
        var account = r.String("account", required: true);
        var provider = r.String("provider");
        var subject = r.String("subject", required: true, maxLength: 500);
        var priority = r.Choice("priority", WireNames.Priorities);
        var openedAt = r.Instant("openedAt", latestUtc, required: true);
        var closedAt = r.Instant("closedAt", latestUtc);
        if (openedAt is { } o && closedAt is { } c && c < o) r.Error("closedAt", "'closedAt' must not be before 'openedAt'.");
        if (externalId is null || account is null || subject is null || openedAt is null) return null;
        return new SupportTicketItem(r.Index, externalId, account, provider, subject, priority ?? "normal", openedAt.Value, closedAt);
    }

    public static async Task<UpsertOutcome> ApplyAsync(
        IntegrationHealthDbContext db, int tenantId, IReadOnlyList<SupportTicketItem> items, ProviderCatalog.Snapshot catalogue,
        BatchErrors errors, CancellationToken cancellationToken)
    {
        var accountKeys = items.Select(i => i.Account).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && accountKeys.Contains(a.ExternalId))
            .Select(a => new { a.Id, a.ExternalId })
            .ToDictionaryAsync(a => a.ExternalId, a => a.Id, StringComparer.Ordinal, cancellationToken);
        foreach (var item in items)
        {
            if (!accounts.ContainsKey(item.Account))
                errors.Add(item.Index, "account", $"Unknown account '{item.Account}'.");
            if (item.Provider is { } p && !catalogue.IdsByKey.ContainsKey(p))
                errors.Add(item.Index, "provider", $"Unknown provider '{p}'; see GET /v1/providers.");
        }
        if (errors.Any) return new UpsertOutcome(null, errors);

        var ids = items.Select(i => i.ExternalId).ToList();
        var existing = await db.SupportTickets
            .Where(t => t.TenantId == tenantId && ids.Contains(t.ExternalId))
            .ToDictionaryAsync(t => t.ExternalId, StringComparer.Ordinal, cancellationToken);
        int inserted = 0, updated = 0;
        foreach (var item in items)
        {
            if (!existing.TryGetValue(item.ExternalId, out var ticket))
            {
                ticket = new SupportTicket { TenantId = tenantId, ExternalId = item.ExternalId, Subject = item.Subject };
                db.SupportTickets.Add(ticket);
                inserted++;
            }
            else
            {
                updated++;
            }
            ticket.AccountId = accounts[item.Account];
            ticket.ProviderId = item.Provider is { } key ? catalogue.IdsByKey[key] : null;
            ticket.Subject = item.Subject;
            ticket.Priority = item.Priority;
            ticket.OpenedAt = item.OpenedAt;
            ticket.ClosedAt = item.ClosedAt;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new UpsertOutcome(new UpsertResult(inserted, updated), null);
    }
}
