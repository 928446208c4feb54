using Microsoft.Extensions.Options;
using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Connections;

/// <summary>A stored connection with what the engine needs to call through it: the provider's loaded definition and
/// the <see cref="EngineConnection"/> (ids for telemetry, credential key, connection values).</summary>
public sealed record ResolvedConnection(Connection Row, string ProviderKey, LoadedProvider Provider, EngineConnection Engine);

/// <summary>Why a connection could not be resolved.</summary>
public enum ConnectionResolution
{
    Found,
    /// <summary>No connection with that external id in this tenant (another tenant's id is "not found" too).</summary>
    NotFound,
    /// <summary>The connection exists but its provider has no engine definition (telemetry-only providers).</summary>
    NoDefinition,
}

/// <summary>Finds a tenant's connection by its external id and joins it to its provider's engine definition.</summary>
public interface IEngineConnections
{
    Task<(ConnectionResolution Resolution, ResolvedConnection? Connection)> FindAsync(
        int tenantId, string connectionExternalId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Store-backed <see cref="IEngineConnections"/>. The credential key is <see cref="CredentialKeyOf"/> (tenant and
/// store id), so a vault keyed by it can never hand one tenant's token to another's connection. The definition is the
/// one the connection's account sees (<see cref="TenantProviderRegistry"/>: platform or the tenant's own, with the
/// environment and account overrides merged in), so every call through a connection runs its effective definition.
/// </summary>
public sealed class StoreEngineConnections(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TenantProviderRegistry registry,
    IOptions<EngineOptions> options, TimeProvider time)
    : IEngineConnections
{
    /// <summary>Recent lookups by (tenant, external id), kept <see cref="EngineOptions.ConnectionLookupCache"/>.</summary>
    private readonly RecentReads<(int TenantId, string ExternalId), (Connection Row, string Key)> _recent = new(time);

    public static string CredentialKeyOf(int tenantId, int connectionId) => $"connection/{tenantId}/{connectionId}";

    public async Task<(ConnectionResolution Resolution, ResolvedConnection? Connection)> FindAsync(
        int tenantId, string connectionExternalId, CancellationToken cancellationToken = default)
    {
        if (await LookUpAsync(tenantId, connectionExternalId, cancellationToken) is not { } found) return (ConnectionResolution.NotFound, null);
        var row = found.Row;
        if (await registry.FindAsync(tenantId, found.Key, row.AccountId, cancellationToken) is not { } effective)
            return (ConnectionResolution.NoDefinition, null);
        var provider = effective.Provider;
        var engine = new EngineConnection
        {
            TenantId = row.TenantId,
            AccountId = row.AccountId,
            ProviderId = row.ProviderId,
            ConnectionId = row.Id,
            CredentialKey = CredentialKeyOf(row.TenantId, row.Id),
            Values = ValuesOf(row),
        };
        return (ConnectionResolution.Found, new ResolvedConnection(row, found.Key, provider, engine));
    }

    /// <summary>The connection's row and provider key, from this process's recent lookup when there is one.</summary>
    private async Task<(Connection Row, string Key)?> LookUpAsync(int tenantId, string externalId, CancellationToken cancellationToken)
    {
        var maxAge = options.Value.ConnectionLookupCache;
        if (_recent.TryGet((tenantId, externalId), maxAge, out var recent)) return recent;
        var began = _recent.Begin();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await (from c in db.Connections.AsNoTracking()
                           join p in db.Providers.AsNoTracking() on c.ProviderId equals p.Id
                           where c.TenantId == tenantId && c.ExternalId == externalId
                           select new { Connection = c, p.Key }).FirstOrDefaultAsync(cancellationToken);
        if (found is null) return null;
        _recent.Remember((tenantId, externalId), (found.Connection, found.Key), began, maxAge);
        return (found.Connection, found.Key);
    }

    /// <summary>The connection's values: its <see cref="Connection.Values"/> object, plus <c>instance_url</c> and
    /// <c>api_version</c> from their own columns where the object does not set them.</summary>
    public static IReadOnlyDictionary<string, string> ValuesOf(Connection connection)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(connection.Values))
        {
            using var document = JsonDocument.Parse(connection.Values);
            foreach (var property in document.RootElement.EnumerateObject())
                if (property.Value.ValueKind == JsonValueKind.String) values[property.Name] = property.Value.GetString()!;
        }
        if (connection.InstanceUrl is not null) values.TryAdd("instance_url", connection.InstanceUrl);
        if (connection.ApiVersion is not null) values.TryAdd("api_version", connection.ApiVersion);
        return values;
    }
}
