using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Ingestion.Upserts;

namespace IntegrationHealth.Ingestion.Connections;

/// <summary>A validated connection item.</summary>
public sealed record ConnectionItem(
    int Index, string ExternalId, string Account, string Provider, ConnectionStatus Status, AuthKind AuthKind,
    string? Scopes, string? InstanceUrl, string? ApiVersion, DateTime? LastSyncAt, string? SyncCursor, DateTime? CreatedAt) : IAccountItem;

/// <summary>
/// Bulk upsert of connections by external id; the account (tenant's) and provider (the tenant's catalogue) must exist.
/// The item is the connection's full state, except <c>createdAt</c>, which keeps its stored value when omitted (and is
/// "now" on insert), as for accounts.
/// </summary>
public static class ConnectionUpserts
{
    public static readonly string[] Fields =
        ["externalId", "account", "provider", "status", "authKind", "scopes", "instanceUrl", "apiVersion", "lastSyncAt", "syncCursor", "createdAt"];

    public static readonly UpsertDefinition<ConnectionItem> Definition = new("connection", Fields, Read, ApplyAsync);

    public static ConnectionItem? Read(ItemReader r, DateTime latestUtc)
    {
        var externalId = r.Identifier("externalId", required: true);
        var account = r.Identifier("account", required: true);
        var provider = r.Identifier("provider", required: true);
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
        var createdAt = r.Instant("createdAt", latestUtc);
        if (createdAt is { } c && lastSyncAt is { } s && s < c) r.Error("lastSyncAt", "'lastSyncAt' must not be before 'createdAt'.");
        if (externalId is null || account is null || provider is null) return null;
        return new ConnectionItem(r.Index, externalId, account, provider, status ?? ConnectionStatus.Active,
            authKind ?? AuthKind.OAuth2, scopes, instanceUrl, apiVersion, lastSyncAt, syncCursor, createdAt);
    }

    public static async Task<UpsertOutcome> ApplyAsync(UpsertScope scope, IReadOnlyList<ConnectionItem> items, CancellationToken cancellationToken)
    {
        var accounts = await BulkUpsert.ResolveAccountsAsync(scope, items, cancellationToken);
        var catalogue = await BulkUpsert.ResolveProvidersAsync(scope, items, i => i.Provider, cancellationToken);
        if (scope.Errors.Any) return new UpsertOutcome(null, scope.Errors);

        return await BulkUpsert.SaveAsync(scope, items,
            item => new Connection { ExternalId = item.ExternalId, CreatedAt = item.CreatedAt ?? scope.NowUtc },
            (connection, item) =>
            {
                connection.AccountId = accounts[item.Account];
                connection.ProviderId = catalogue.IdsByKey[item.Provider];
                connection.Status = item.Status;
                connection.AuthKind = item.AuthKind;
                connection.Scopes = item.Scopes;
                connection.InstanceUrl = item.InstanceUrl;
                connection.ApiVersion = item.ApiVersion;
                connection.LastSyncAt = item.LastSyncAt;
                connection.SyncCursor = item.SyncCursor;
                if (item.CreatedAt is { } createdAt) connection.CreatedAt = createdAt;
                connection.UpdatedAt = scope.NowUtc;
            },
            cancellationToken);
    }
}
