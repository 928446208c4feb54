using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Overrides;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.DemoEngine;

/// <summary>A demo connection: its external id, its account's, and its provider.</summary>
internal sealed record DemoConnection(string ExternalId, string Account, DemoProvider Provider, bool Revoked);

/// <summary>
/// Makes the demo tenant's live connections: <see cref="DemoProviderDoubles.ConnectionsPerProvider"/> per shipped
/// provider, each on its own seeded account (<c>{account}-{provider}-live</c>), active, with its credentials in the
/// vault (no access token: the engine obtains or refreshes one on first use, as after an import). Done on every start,
/// since the doubles are new and only know the grants made now. Also gives every listable resource a sync schedule
/// (an environment override, saved only when it differs), so the engine's sync and refresh jobs call the doubles
/// and their telemetry joins the seeded history.
/// </summary>
internal static class DemoConnections
{
    /// <summary>Minutes between scheduled syncs of a demo resource.</summary>
    public const int SyncEveryMinutes = 5;

    public static async Task<IReadOnlyList<DemoConnection>> EnsureAsync(IServiceProvider services, int tenantId, DemoProviderDoubles doubles,
        CancellationToken cancellationToken)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
        var registry = services.GetRequiredService<ProviderRegistry>();
        var vault = services.GetRequiredService<ICredentialStore>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var made = new List<(DemoConnection Connection, Connection Row, Dictionary<string, string> Credentials)>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var wanted = doubles.Providers.Count * DemoProviderDoubles.ConnectionsPerProvider;
            var accounts = await db.Accounts.Where(a => a.TenantId == tenantId).OrderBy(a => a.ExternalId)
                .Select(a => new { a.Id, a.ExternalId }).Take(wanted).ToListAsync(cancellationToken);
            if (accounts.Count == 0) return [];
            var slot = 0;
            foreach (var provider in doubles.Providers)
            {
                var loaded = registry.Get(provider.Key);
                var providerId = await ProviderRows.IdOfAsync(db, tenantId, loaded, now, cancellationToken);
                for (var n = 0; n < DemoProviderDoubles.ConnectionsPerProvider; n++, slot++)
                {
                    var account = accounts[slot % accounts.Count];
                    var externalId = $"{account.ExternalId}-{provider.Key}-live";
                    var row = await db.Connections.FirstOrDefaultAsync(c => c.TenantId == tenantId && c.ExternalId == externalId, cancellationToken);
                    if (row is null)
                    {
                        row = new Connection { TenantId = tenantId, ExternalId = externalId, CreatedAt = now };
                        db.Connections.Add(row);
                    }
                    row.AccountId = account.Id;
                    row.ProviderId = providerId;
                    row.Status = ConnectionStatus.Active;
                    row.AuthKind = loaded.Definition.Auth.Kind switch
                    {
                        AuthKinds.Basic => AuthKind.Basic,
                        AuthKinds.ApiKey or AuthKinds.Bearer => AuthKind.ApiKey,
                        _ => AuthKind.OAuth2,
                    };
                    var values = provider.Values(n);
                    row.Values = values.Count > 0 ? JsonSerializer.Serialize(values) : null;
                    row.UpdatedAt = now;
                    var revoked = DemoProviderDoubles.RevokedConnections.TryGetValue(provider.Key, out var r) && r == n;
                    made.Add((new DemoConnection(externalId, account.ExternalId, provider, revoked), row, provider.Credentials(externalId)));
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }

        foreach (var (connection, row, credentials) in made)
        {
            await vault.SaveAsync(StoreEngineConnections.CredentialKeyOf(tenantId, row.Id), ConnectionCredentials.Of([.. credentials.Select(c => (c.Key, c.Value))]),
                cancellationToken);
            if (connection.Revoked) doubles.Revoke(connection.Provider.Key, credentials[ConnectionCredentials.RefreshToken]);
        }
        await ScheduleSyncsAsync(services, tenantId, doubles, cancellationToken);
        return [.. made.Select(m => m.Connection)];
    }

    /// <summary>An environment override per provider giving each listable resource a sync every few minutes.</summary>
    private static async Task ScheduleSyncsAsync(IServiceProvider services, int tenantId, DemoProviderDoubles doubles, CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<ProviderRegistry>();
        var overrides = services.GetRequiredService<EngineOverrideStore>();
        foreach (var provider in doubles.Providers)
        {
            var resources = new JsonObject();
            foreach (var (name, resource) in registry.Get(provider.Key).Definition.Resources)
                if (resource.Operations.ContainsKey("list"))
                    resources[name] = new JsonObject { ["sync"] = new JsonObject { ["every_minutes"] = SyncEveryMinutes } };
            var document = new JsonObject { ["resources"] = resources };
            var current = await overrides.GetAsync(tenantId, provider.Key, null, null, cancellationToken);
            if (current is not null && JsonNode.DeepEquals(JsonNode.Parse(current.Document.GetRawText()), document)) continue;
            var (outcome, _, errors) = await overrides.SaveAsync(tenantId, provider.Key, null, null, document, cancellationToken);
            if (outcome != OverrideOutcome.Saved)
                throw new InvalidOperationException($"The demo's sync override for '{provider.Key}' was not saved ({outcome}): "
                    + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
        }
    }
}
