using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Api.Ingestion;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Upserts;

/// <summary>A validated connection item.</summary>
public sealed record ConnectionItem(
    int Index, string ExternalId, string Account, string Provider, ConnectionStatus Status, AuthKind AuthKind,
    string? Scopes, string? InstanceUrl, string? ApiVersion, DateTime? LastSyncAt, string? SyncCursor);

/// <summary>Bulk upsert of connections by external id; the account (tenant's) and provider (catalogue) must exist.</summary>
public static class ConnectionUpserts
{
    public static readonly string[] Fields =
        ["externalId", "account", "provider", "status", "authKind", "scopes", "instanceUrl", "apiVersion", "lastSyncAt", "syncCursor"];

    public static ConnectionItem? Read(ItemReader r, DateTime latestUtc)
    {
        var externalId = r.String("externalId", required: true);
        var account = r.String("account", required: true);
        var provider = r.String("provider", required: true);
        var status = r.Choice("status", WireNames.ConnectionStatuses, WireNames.ParseConnectionStatus);
        var authKind = r.Choice("authKind", WireNames.AuthKinds, WireNames.ParseAuthKind);
        var scopes = r.String("scopes", maxLength: 2000, allowEmpty: true);
        var instanceUrl = r.String("instanceUrl", maxLength: 500);
        if (instanceUrl is not null && !(Uri.TryCreate(instanceUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            r.Error("instanceUrl", "'instanceUrl' must be an absolute http(s) URL.");
            instanceUrl = null;
        }
        var apiVersion = r.String("apiVersion", maxLength: 50);
        var lastSyncAt = r.Instant("lastSyncAt", latestUtc);
        var syncCursor = r.String("syncCursor", maxLength: 2000, allowEmpty: true);
        if (externalId is null || account is null || provider is null) return null;
        return new ConnectionItem(r.Index, externalId, account, provider, status ?? ConnectionStatus.Active,
            authKind ?? AuthKind.OAuth2, scopes, instanceUrl, apiVersion, lastSyncAt, syncCursor);
    }

    public static async Task<UpsertOutcome> ApplyAsync(
        IntegrationHealthDbContext db, int tenantId, IReadOnlyList<ConnectionItem> items, ProviderCatalog.Snapshot catalogue,
        BatchErrors errors, DateTime nowUtc, CancellationToken cancellationToken)
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
            if (!catalogue.IdsByKey.ContainsKey(item.Provider))
                errors.Add(item.Index, "provider", $"Unknown provider '{item.Provider}'; see GET /v1/providers.");
        }
        if (errors.Any) return new UpsertOutcome(null, errors);

        var ids = items.Select(i => i.ExternalId).ToList();
        var existing = await db.Connections
            .Where(c => c.TenantId == tenantId && ids.Contains(c.ExternalId))
            .ToDictionaryAsync(c => c.ExternalId, StringComparer.Ordinal, cancellationToken);
        int inserted = 0, updated = 0;
        foreach (var item in items)
        {
            if (!existing.TryGetValue(item.ExternalId, out var connection))
            {
                connection = new Connection { TenantId = tenantId, ExternalId = item.ExternalId, CreatedAt = nowUtc };
                db.Connections.Add(connection);
                inserted++;
            }
            else
            {
                updated++;
            }
            connection.AccountId = accounts[item.Account];
            connection.ProviderId = catalogue.IdsByKey[item.Provider];
            connection.Status = item.Status;
            connection.AuthKind = item.AuthKind;
            connection.Scopes = item.Scopes;
            connection.InstanceUrl = item.InstanceUrl;
            connection.ApiVersion = item.ApiVersion;
            connection.LastSyncAt = item.LastSyncAt;
            connection.SyncCursor = item.SyncCursor;
            connection.UpdatedAt = nowUtc;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new UpsertOutcome(new UpsertResult(inserted, updated), null);
    }
}
