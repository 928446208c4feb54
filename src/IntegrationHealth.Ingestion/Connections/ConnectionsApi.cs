using IntegrationHealth.Data;
using IntegrationHealth.Ingestion.Accounts;
using IntegrationHealth.Ingestion.Events;
using IntegrationHealth.Ingestion.Upserts;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHealth.Ingestion.Connections;

/// <summary>Connections (an account's link to a provider): bulk upsert and list.</summary>
public static class ConnectionsApi
{
    public static IEndpointRouteBuilder MapConnectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/connections").WithTags("Connections");

        api.MapPost("", UpsertConnections)
            .AsBulkUpsert<ConnectionInput>("UpsertConnections",
                "Insert or update connections by external id (the account must exist for this tenant, the provider in the catalogue)");
        api.MapGet("", ListConnections)
            .AsAccountOwnedList("ListConnections", "List the tenant's connections, optionally of one account, paged by cursor");

        return app;
    }

    public static async Task<Results<Ok<UpsertResult>, ProblemHttpResult>> UpsertConnections(
        HttpContext context, [AsParameters] IngestionServices services, ReferenceCache references)
    {
        var result = await BulkUpsert.HandleAsync(context, services, ConnectionUpserts.Definition);
        // Ingestion caches accounts' connection lists; new or moved connections must be seen at once here.
        references.InvalidateConnections(context.User.GetTenantId());
        return result;
    }

    public static Task<Results<Ok<Page<ConnectionView>>, ProblemHttpResult>> ListConnections(
        HttpContext context, [AsParameters] IngestionServices services, string? account, int? limit, string? cursor) =>
        AccountOwnedLists.ListAsync(context, services, account, limit, cursor, db => db.Connections, (r, catalogue) =>
            new ConnectionView(
                r.Row.ExternalId, r.Account, catalogue.KeysById.GetValueOrDefault(r.Row.ProviderId, "?"),
                WireNames.Of(r.Row.Status), WireNames.Of(r.Row.AuthKind), r.Row.Scopes, r.Row.InstanceUrl,
                r.Row.ApiVersion, StoredInstant.Utc(r.Row.LastSyncAt), r.Row.SyncCursor,
                StoredInstant.Utc(r.Row.CreatedAt), StoredInstant.Utc(r.Row.UpdatedAt)),
            c => c.ProviderId);
}
