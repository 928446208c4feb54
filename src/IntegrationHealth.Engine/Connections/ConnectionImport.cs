using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Connections;

/// <summary>
/// Bulk import of connections with their credentials (from a legacy platform, or a previous export) and the audited
/// export. Import is all or nothing: every item is checked first (errors name the item's index and field, like the
/// bulk upserts), then connections and their encrypted credentials are written in one transaction.
/// </summary>
public sealed class ConnectionImport(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TenantProviderRegistry registry,
    CredentialProtector protector, IOptions<EngineCredentialOptions> options, TimeProvider time, ICredentialAlerts alerts, ILogger<ConnectionImport> logger)
{
    private sealed record Item(string ExternalId, int AccountId, LoadedProvider Provider, Dictionary<string, string> Values,
        string? Scopes, Dictionary<string, string> Credentials, DateTimeOffset? IssuedAt, DateTimeOffset? ExpiresAt);

    public async Task<Results<Ok<ImportResult>, ProblemHttpResult>> ImportAsync(HttpContext context)
    {
        var tenant = context.User.GetTenantId();
        if (BodyFormat.Of(context.Request.ContentType) is not BodyFormat.Kind.Json)
            return Problems.UnsupportedMediaType("Send the connections as 'application/json', UTF-8.");
        var limit = options.Value.MaxImportBytes;
        using var body = await RequestBody.ReadAsync(context, limit, context.RequestAborted);
        if (body is null) return Problems.PayloadTooLarge($"The body exceeds {limit} bytes (Engine:Credentials:MaxImportBytes).");
        var utf8 = BodyFormat.WithoutBom(body.Span);
        if (!Utf8.IsValid(utf8)) return Problems.BadRequest("The body is not valid UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"The body is not valid JSON: {e.Message}");
        }
        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Array) return Problems.BadRequest("The body must be a JSON array of connections.");
        var count = document.RootElement.GetArrayLength();
        if (count == 0) return Problems.BadRequest("The array is empty.");
        if (count > options.Value.MaxImportItems)
            return Problems.PayloadTooLarge($"At most {options.Value.MaxImportItems} connections per import (Engine:Credentials:MaxImportItems).");

        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var accounts = await db.Accounts.Where(a => a.TenantId == tenant).Select(a => new { a.ExternalId, a.Id })
            .ToDictionaryAsync(a => a.ExternalId, a => a.Id, StringComparer.Ordinal, context.RequestAborted);
        var apps = await db.OAuthApps.AsNoTracking().Where(a => a.TenantId == tenant).ToDictionaryAsync(a => a.ProviderKey, StringComparer.Ordinal, context.RequestAborted);
        // The platform's definitions and the tenant's own uploads (a provider added as data is importable at once).
        var providers = new Dictionary<string, LoadedProvider>(StringComparer.Ordinal);
        foreach (var element in document.RootElement.EnumerateArray())
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("provider", out var named) && named.ValueKind == JsonValueKind.String
                && named.GetString() is { Length: > 0 and <= 200 } key && !providers.ContainsKey(key)
                && await registry.FindBaseAsync(tenant, key, context.RequestAborted) is { } found)
                providers[key] = found.Provider;
        var errors = new BatchErrors();
        var items = new List<Item>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (Read(element, index, accounts, apps, providers, tenant, errors) is { } item)
            {
                if (!seen.Add(item.ExternalId)) errors.Add(index, "externalId", $"Connection '{item.ExternalId}' appears twice in the batch.");
                else items.Add(item);
            }
            index++;
        }
        if (errors.Any) return Problems.InvalidBatch(errors, "connection import");

        var now = time.GetUtcNow().UtcDateTime;
        int inserted = 0, updated = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted);
        var ids = items.Select(i => i.ExternalId).ToList();
        var existing = await db.Connections.Where(c => c.TenantId == tenant && ids.Contains(c.ExternalId))
            .ToDictionaryAsync(c => c.ExternalId, StringComparer.Ordinal, context.RequestAborted);
        // Provider rows first: creating one saves, and must not flush half-built connections with it.
        var providerIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var provider in items.Select(i => i.Provider).DistinctBy(p => p.Key))
            providerIds[provider.Key] = await ProviderRows.IdOfAsync(db, tenant, provider, now, context.RequestAborted);
        var rows = new List<(Item Item, Connection Row)>();
        foreach (var item in items)
        {
            if (!existing.TryGetValue(item.ExternalId, out var row))
            {
                row = new Connection { TenantId = tenant, ExternalId = item.ExternalId, CreatedAt = now };
                db.Connections.Add(row);
                inserted++;
            }
            else updated++;
            row.AccountId = item.AccountId;
            row.ProviderId = providerIds[item.Provider.Key];
            row.Status = ConnectionStatus.Active;
            row.AuthKind = item.Provider.Definition.Auth.Kind switch
            {
                AuthKinds.Basic => AuthKind.Basic,
                AuthKinds.ApiKey or AuthKinds.Bearer => AuthKind.ApiKey,
                _ => AuthKind.OAuth2,
            };
            row.Scopes = item.Scopes;
            row.Values = item.Values.Count > 0 ? JsonSerializer.Serialize(item.Values) : null;
            row.UpdatedAt = now;
            rows.Add((item, row));
        }
        await db.SaveChangesAsync(context.RequestAborted);

        var connectionIds = rows.Select(r => r.Row.Id).ToList();
        var vaultRows = await db.ConnectionCredentials.Where(c => c.TenantId == tenant && connectionIds.Contains(c.ConnectionId))
            .ToDictionaryAsync(c => c.ConnectionId, context.RequestAborted);
        foreach (var (item, row) in rows)
        {
            var key = StoreEngineConnections.CredentialKeyOf(tenant, row.Id);
            if (!vaultRows.TryGetValue(row.Id, out var credential))
            {
                credential = new ConnectionCredential { TenantId = tenant, ConnectionId = row.Id, Protected = "" };
                db.ConnectionCredentials.Add(credential);
            }
            credential.Protected = protector.Protect(key, item.Credentials);
            credential.IssuedAt = item.IssuedAt?.UtcDateTime;
            credential.ExpiresAt = item.ExpiresAt?.UtcDateTime;
            credential.Version++;
            credential.FailedRefreshes = 0;
            credential.CoolDownUntil = null;
            credential.LastRefreshAt = now;
            credential.UpdatedAt = now;
        }
        await db.SaveChangesAsync(context.RequestAborted);
        await transaction.CommitAsync(context.RequestAborted);
        await alerts.ReconnectedAsync(tenant, connectionIds, context.RequestAborted); // fresh credentials: any revoked alert is over
        EngineLog.CredentialsImported(logger, tenant, items.Count);
        return TypedResults.Ok(new ImportResult(inserted, updated));
    }

    /// <summary>The export, or the asked-for external ids that are not this tenant's connections with credentials
    /// (then nothing is exported and nothing recorded).</summary>
    public async Task<(ExportResult? Result, IReadOnlyList<string> Missing)> ExportAsync(HttpContext context, IReadOnlyList<string>? externalIds)
    {
        var tenant = context.User.GetTenantId();
        var keyId = context.User.GetKeyId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var query = from c in db.Connections.AsNoTracking()
                    join v in db.ConnectionCredentials.AsNoTracking() on c.Id equals v.ConnectionId
                    join a in db.Accounts.AsNoTracking() on c.AccountId equals a.Id
                    join p in db.Providers.AsNoTracking() on c.ProviderId equals p.Id
                    where c.TenantId == tenant && v.TenantId == tenant
                    select new { c, v, Account = a.ExternalId, Provider = p.Key };
        if (externalIds is not null)
        {
            var ids = externalIds.Distinct(StringComparer.Ordinal).ToList();
            query = query.Where(x => ids.Contains(x.c.ExternalId));
        }
        var rows = await query.OrderBy(x => x.c.Id).ToListAsync(context.RequestAborted);
        if (externalIds is not null)
        {
            var found = rows.Select(r => r.c.ExternalId).ToHashSet(StringComparer.Ordinal);
            var missing = externalIds.Where(id => !found.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count > 0) return (null, missing);
        }
        var items = rows.Select(x => new ExportedConnection(x.c.ExternalId, x.Account, x.Provider, StatusName(x.c.Status),
            x.c.Values is null ? null : StoreEngineConnections.ValuesOf(new Connection { ExternalId = "", Values = x.c.Values }),
            x.c.Scopes, protector.Unprotect(StoreEngineConnections.CredentialKeyOf(tenant, x.c.Id), x.v.Protected),
            Utc(x.v.IssuedAt), Utc(x.v.ExpiresAt))).ToList();

        // The audit record is committed before any credential leaves.
        var audit = new CredentialExport
        {
            TenantId = tenant, ApiKeyId = keyId, ExportedAt = time.GetUtcNow().UtcDateTime, Connections = items.Count,
            Filter = externalIds is null ? null : Truncate(string.Join(",", externalIds), 2000),
        };
        db.CredentialExports.Add(audit);
        await db.SaveChangesAsync(context.RequestAborted);
        EngineLog.CredentialsExported(logger, tenant, keyId, items.Count, audit.Id);
        return (new ExportResult(audit.Id, items), []);
    }

    private Item? Read(JsonElement element, int index, Dictionary<string, int> accounts, Dictionary<string, OAuthApp> apps,
        Dictionary<string, LoadedProvider> providers, int tenant, BatchErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(index, "", "Each item must be a JSON object.");
            return null;
        }
        var before = errors.Count;
        string? externalId = null, account = null, providerKey = null, scopes = null;
        Dictionary<string, string> values = new(StringComparer.Ordinal), credentials = new(StringComparer.Ordinal);
        DateTimeOffset? issuedAt = null, expiresAt = null;
        var hasCredentials = false;
        foreach (var p in element.EnumerateObject())
        {
            switch (p.Name)
            {
                case "externalId": externalId = Text(p, index, errors, 200); break;
                case "account": account = Text(p, index, errors, 200); break;
                case "provider": providerKey = Text(p, index, errors, 200); break;
                case "scopes": scopes = p.Value.ValueKind == JsonValueKind.Null ? null : Text(p, index, errors, 2000); break;
                case "status": if (p.Value.ValueKind != JsonValueKind.String) errors.Add(index, "status", "'status' must be a string."); break; // informational (export); imports are active
                case "values":
                    if (p.Value.ValueKind == JsonValueKind.Null) break;
                    if (!Strings(p.Value, values)) errors.Add(index, "values", "'values' must be an object of strings.");
                    break;
                case "credentials":
                    hasCredentials = true;
                    if (!Strings(p.Value, credentials)) errors.Add(index, "credentials", "'credentials' must be an object of strings.");
                    break;
                case "issuedAt": issuedAt = Instant(p, index, errors); break;
                case "expiresAt": expiresAt = Instant(p, index, errors); break;
                default: errors.Add(index, p.Name, $"Unknown field '{p.Name}'."); break;
            }
        }
        if (externalId is null && errors.Count == before) errors.Add(index, "externalId", "'externalId' is required.");
        int accountId = 0;
        if (account is null) errors.Add(index, "account", "'account' is required.");
        else if (!accounts.TryGetValue(account, out accountId)) errors.Add(index, "account", $"No account '{account}' in this tenant.");
        LoadedProvider? provider = null;
        if (providerKey is null) errors.Add(index, "provider", "'provider' is required.");
        else if (!providers.TryGetValue(providerKey, out provider)) errors.Add(index, "provider", $"No provider definition '{providerKey}'.");
        if (!hasCredentials) errors.Add(index, "credentials", "'credentials' is required.");
        if (provider is not null && hasCredentials)
        {
            var kind = provider.Definition.Auth.Kind;
            if (AuthKinds.UsesTokenEndpoint(kind) && apps.TryGetValue(provider.Key, out var app))
            {
                credentials.TryAdd(ConnectionCredentials.ClientId, app.ClientId);
                if (app.ProtectedClientSecret is { } secret)
                    credentials.TryAdd(ConnectionCredentials.ClientSecret, protector.UnprotectSecret(ConnectFlow.AppOwner(tenant, provider.Key), secret));
            }
            string[] required = kind switch
            {
                AuthKinds.AuthorizationCode => [ConnectionCredentials.RefreshToken, ConnectionCredentials.ClientId],
                AuthKinds.ClientCredentials => [ConnectionCredentials.ClientId, ConnectionCredentials.ClientSecret],
                _ => provider.Definition.Auth.CredentialFields.Count > 0 ? [.. provider.Definition.Auth.CredentialFields] : [.. AuthKinds.FieldsOf(kind)],
            };
            foreach (var field in required)
                if (!credentials.TryGetValue(field, out var v) || v.Length == 0)
                    errors.Add(index, $"credentials.{field}", $"'credentials.{field}' is required for {kind} connections" +
                        (field.StartsWith("client_", StringComparison.Ordinal) ? " (or the tenant's OAuth app for the provider)." : "."));
            if (credentials.Values.Any(v => v.Length > 8000)) errors.Add(index, "credentials", "A credential value is longer than 8000 characters.");
        }
        if (issuedAt is { } i && expiresAt is { } e && e < i) errors.Add(index, "expiresAt", "'expiresAt' is before 'issuedAt'.");
        return errors.Count > before ? null : new Item(externalId!, accountId, provider!, values, scopes, credentials, issuedAt, expiresAt);
    }

    private static string? Text(JsonProperty p, int index, BatchErrors errors, int max)
    {
        if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not { Length: > 0 } s || s.Length > max || s.Any(char.IsControl))
        {
            errors.Add(index, p.Name, $"'{p.Name}' must be a non-empty string of at most {max} characters, without control characters.");
            return null;
        }
        return s;
    }

    private static bool Strings(JsonElement element, Dictionary<string, string> into)
    {
        if (element.ValueKind != JsonValueKind.Object) return false;
        foreach (var p in element.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String || p.Name.Length is 0 or > 100) return false;
            into[p.Name] = p.Value.GetString()!;
        }
        return true;
    }

    private static DateTimeOffset? Instant(JsonProperty p, int index, BatchErrors errors)
    {
        if (p.Value.ValueKind == JsonValueKind.Null) return null;
        if (p.Value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(p.Value.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) && p.Value.GetString()!.Contains('T'))
            return value;
        errors.Add(index, p.Name, $"'{p.Name}' must be an ISO 8601 date-time such as 2026-01-31T10:00:00Z.");
        return null;
    }

    private static string StatusName(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Active => "active",
        ConnectionStatus.NeedsReauth => "needs_reauth",
        _ => "disabled",
    };

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
