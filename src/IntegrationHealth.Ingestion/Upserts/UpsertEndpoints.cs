using IntegrationHealth.Web.Authentication;

namespace IntegrationHealth.Ingestion.Upserts;

/// <summary>The route metadata every bulk-upsert and list endpoint shares, so each resource declares only what differs.</summary>
public static class UpsertEndpoints
{
    /// <summary>A bulk upsert: ingest scope, a JSON array of <typeparamref name="TInput"/>, and its 400/413/415 problems.</summary>
    public static RouteHandlerBuilder AsBulkUpsert<TInput>(this RouteHandlerBuilder route, string name, string summary) => route
        .RequireAuthorization(ApiPolicies.Ingest)
        .WithName(name)
        .WithSummary(summary)
        .WithDescription("All-or-nothing: any invalid item rejects the batch with 400 listing every error by index and field; " +
            "nothing is stored. Items are matched by externalId within the caller's tenant, so repeating a batch is safe, also " +
            "one whose outcome is unknown (a timeout, a dropped connection, a 503 or 507): it updates whatever an earlier attempt stored. " +
            "503 (with Retry-After): the database is unavailable or the service is starting; 507 (with Retry-After): its disk is full.")
        .Accepts<TInput[]>("application/json")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .ProducesProblem(StatusCodes.Status507InsufficientStorage);

    /// <summary>A keyset-paged list of the tenant's rows, optionally of one account (<c>?account=</c>, 404 when unknown).</summary>
    public static RouteHandlerBuilder AsAccountOwnedList(this RouteHandlerBuilder route, string name, string summary) => route
        .RequireAuthorization(ApiPolicies.Read)
        .WithName(name)
        .WithSummary(summary)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound);
}
