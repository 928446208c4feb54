using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Idempotency;
using IntegrationHealth.Engine.Models;
using IntegrationHealth.Engine.Proxy;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Unified;

/// <summary>A page of unified records: <c>items</c> in the model's shape, <c>nextCursor</c> (null on the last page),
/// and how many records of the pages read failed mapping (reported as telemetry, left out here).</summary>
public sealed record UnifiedPage(IReadOnlyList<JsonObject> Items, string? NextCursor, int MappingFailures);

/// <summary>
/// <c>/v1/unified/{category}/{resource}</c>: a connection's records in a unified model (<c>crm/contacts</c> is
/// <c>crm.contact</c>), through its definition's operations and mappings. Reads need the read scope, writes the admin
/// scope (no narrower write scope exists). Another tenant's connection is a 404.
/// </summary>
public static class UnifiedApi
{
    public static IEndpointRouteBuilder MapUnifiedApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/unified").WithTags("Engine unified API");
        group.MapGet("/{category}/{resource}", ListUnifiedRecords)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListUnifiedRecords")
            .WithSummary("List a connection's records in a unified model")
            .WithDescription("Query: connection (required), limit (1 to Engine:Unified:MaxLimit, default 100), cursor (nextCursor of the page " +
                "before; bound to the tenant, connection, resource and filters, so any other use is a 400), and filters: any other parameter " +
                "the provider resource's list operation declares in its filters (typed, mapped to the provider's parameters or body by its " +
                "query_mapping) or names in its query, headers or path templates (another is a 400). Records are " +
                "written as the provider's pages arrive. Upstream failures are problems: 429 with Retry-After, 409 (reason needs_reauth), " +
                "502/504; RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset carry the provider's state.")
            .Produces<UnifiedPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapGet("/{category}/{resource}/{id}", GetUnifiedRecord)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("GetUnifiedRecord")
            .WithSummary("Get one record of a connection in a unified model")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        const string writes = " Body: the record in the unified model (JSON object), mapped to the provider's request by the definition's request_mapping. " +
            "An Idempotency-Key makes a repeat within 24 hours answer the first result without a second upstream call (409 while the " +
            "first is in flight, 422 for the key with another request). The provider refusing the content is a 422.";
        group.MapPost("/{category}/{resource}", CreateUnifiedRecord)
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("CreateUnifiedRecord")
            .WithSummary("Create a record at a connection's provider")
            .WithDescription("Query: connection (required)." + writes + " Answers 201 with the created record as the provider returned it, mapped.")
            .Accepts<JsonObject>("application/json")
            .Produces<JsonObject>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapPatch("/{category}/{resource}/{id}", UpdateUnifiedRecord)
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("UpdateUnifiedRecord")
            .WithSummary("Update a record at a connection's provider")
            .WithDescription("Query: connection (required)." + writes)
            .Accepts<JsonObject>("application/json")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapDelete("/{category}/{resource}/{id}", DeleteUnifiedRecord)
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("DeleteUnifiedRecord")
            .WithSummary("Delete a record at a connection's provider")
            .WithDescription("Query: connection (required). Answers 204. An Idempotency-Key works as on create.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return app;
    }

    /// <summary>The services the unified endpoints use.</summary>
    public sealed class UnifiedServices(IEngineConnections connections, UnifiedModelCatalog models, OperationExecutor executor,
        UnifiedCursor cursors, IdempotentRequests idempotency, IOptions<UnifiedOptions> options, ILogger<UnifiedServices> logger)
    {
        public IEngineConnections Connections { get; } = connections;
        public UnifiedModelCatalog Models { get; } = models;
        public OperationExecutor Executor { get; } = executor;
        public UnifiedCursor Cursors { get; } = cursors;
        public IdempotentRequests Idempotency { get; } = idempotency;
        public UnifiedOptions Options { get; } = options.Value;
        public ILogger Logger { get; } = logger;
    }

    public static async Task ListUnifiedRecords(HttpContext context, string category, string resource, [AsParameters] UnifiedQuery query,
        [FromServices] UnifiedServices services)
    {
        var target = await ResolveAsync(context, services, category, resource, query.Connection, "list");
        if (target is null) return;
        var (connection, providerResource, operation) = target.Value;
        var limit = query.Limit ?? services.Options.DefaultLimit;
        if (limit < 1 || limit > services.Options.MaxLimit)
        {
            await Problems.BadRequest($"'limit' must be from 1 to {services.Options.MaxLimit}.", field: "limit").ExecuteAsync(context);
            return;
        }

        // Filters: every other query parameter, each a declared filter or a placeholder of the list operation's templates.
        var (parameters, filters, given, field, error) = UnifiedFilters.Read(operation, context.Request.Query);
        if (error is not null)
        {
            await Problems.BadRequest(error, field: field).ExecuteAsync(context);
            return;
        }

        var scope = $"{connection.ProviderKey}/{providerResource}";
        var digest = UnifiedCursor.FiltersDigest(given);
        UnifiedCursorState? start = null;
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            start = services.Cursors.Open(query.Cursor, connection.Row.TenantId, connection.Row.Id, scope, digest);
            if (start is null)
            {
                await Problems.BadRequest("'cursor' is not a cursor this API gave out for this connection, resource and filters, or it has expired.",
                    field: "cursor").ExecuteAsync(context);
                return;
            }
        }

        var request = new ListRequest { Context = CallContext.Interactive, Parameters = parameters, Filters = filters, Limit = limit, ResumeFrom = start?.Position };
        await using var pages = services.Executor.ListAsync(connection.Provider, connection.Engine, providerResource, request, context.RequestAborted)
            .GetAsyncEnumerator(context.RequestAborted);
        try
        {
            if (!await pages.MoveNextAsync())
            {
                await TypedResults.Ok(new UnifiedPage([], null, 0)).ExecuteAsync(context);
                return;
            }
        }
        catch (EngineCallException e)
        {
            await FailAsync(context, services, connection, providerResource, "list", e);
            return;
        }

        var first = pages.Current;
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json; charset=utf-8";
        RateLimitHeaders.Write(response.Headers, first.RateLimit, 200);
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        var written = 0;
        var failures = 0;
        string? next = null;
        var skip = start?.Skip ?? 0;
        try
        {
            for (var page = first; ; page = pages.Current)
            {
                failures += page.MappingFailures.Count;
                var records = page.Records;
                var index = Math.Min(skip, records.Count);
                skip = 0;
                for (; index < records.Count && written < limit; index++, written++) records[index].Data.WriteTo(writer);
                await writer.FlushAsync(context.RequestAborted);
                if (written >= limit)
                {
                    // Full: continue within this page if it has more, else at the next page.
                    next = index < records.Count
                        ? services.Cursors.Protect(new UnifiedCursorState(connection.Row.TenantId, connection.Row.Id, scope, digest, page.Position, index))
                        : page.Next is { } n ? services.Cursors.Protect(new UnifiedCursorState(connection.Row.TenantId, connection.Row.Id, scope, digest, n, 0)) : null;
                    break;
                }
                if (page.Next is null || !await pages.MoveNextAsync()) break;
            }
        }
        catch (EngineCallException e)
        {
            // The status line is gone: cut the response off so the client cannot take a partial array for the whole.
            EngineLog.UnifiedStreamCut(services.Logger, connection.Engine.ConnectionId, connection.ProviderKey, providerResource, e.GetType().Name);
            context.Abort();
            return;
        }
        writer.WriteEndArray();
        if (next is null) writer.WriteNull("nextCursor");
        else writer.WriteString("nextCursor", next);
        writer.WriteNumber("mappingFailures", failures);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    public static async Task GetUnifiedRecord(HttpContext context, string category, string resource, string id, [FromQuery] string? connection,
        [FromServices] UnifiedServices services)
    {
        var target = await ResolveAsync(context, services, category, resource, connection, "get");
        if (target is null) return;
        await RunAsync(context, services, target.Value, "get", RouteText.Exact(context, "id", id), null, 200);
    }

    public static Task CreateUnifiedRecord(HttpContext context, string category, string resource, [FromQuery] string? connection,
        [FromServices] UnifiedServices services) =>
        WriteAsync(context, services, category, resource, null, connection, "create", 201);

    public static Task UpdateUnifiedRecord(HttpContext context, string category, string resource, string id, [FromQuery] string? connection,
        [FromServices] UnifiedServices services) =>
        WriteAsync(context, services, category, resource, RouteText.Exact(context, "id", id), connection, "update", 200);

    public static Task DeleteUnifiedRecord(HttpContext context, string category, string resource, string id, [FromQuery] string? connection,
        [FromServices] UnifiedServices services) =>
        WriteAsync(context, services, category, resource, RouteText.Exact(context, "id", id), connection, "delete", 204);

    private static async Task WriteAsync(HttpContext context, UnifiedServices services, string category, string resource, string? id,
        string? connectionId, string verb, int success)
    {
        var (key, keyProblem) = IdempotentRequests.KeyOf(context.Request);
        if (keyProblem is not null)
        {
            await keyProblem.ExecuteAsync(context);
            return;
        }
        var target = await ResolveAsync(context, services, category, resource, connectionId, verb);
        if (target is null) return;

        JsonNode? input = null;
        byte[] bodyBytes = [];
        if (verb != "delete")
        {
            if (BodyFormat.Of(context.Request.ContentType) is not BodyFormat.Kind.Json)
            {
                await Problems.UnsupportedMediaType("Send the record as 'application/json', UTF-8.").ExecuteAsync(context);
                return;
            }
            using var body = await RequestBody.ReadAsync(context, services.Options.MaxBodyBytes, context.RequestAborted);
            if (body is null)
            {
                await Problems.PayloadTooLarge($"The body exceeds {services.Options.MaxBodyBytes} bytes (Engine:Unified:MaxBodyBytes).").ExecuteAsync(context);
                return;
            }
            bodyBytes = BodyFormat.WithoutBom(body.Span).ToArray();
            if (!Utf8.IsValid(bodyBytes) || !TryParseObject(bodyBytes, out input))
            {
                await Problems.BadRequest("The body must be one JSON object (the record in the unified model).", field: "body").ExecuteAsync(context);
                return;
            }
        }

        if (key is null)
        {
            await RunAsync(context, services, target.Value, verb, id, input, success);
            return;
        }
        var fingerprint = IdempotentRequests.Fingerprint(context.Request, bodyBytes);
        await services.Idempotency.RunAsync(context, target.Value.Connection.Row.TenantId, target.Value.Connection.Row.Id, key, fingerprint,
            () => RunAsync(context, services, target.Value, verb, id, input, success));
    }

    private static bool TryParseObject(byte[] utf8, out JsonNode? node)
    {
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            return node is JsonObject;
        }
        catch (JsonException)
        {
            node = null;
            return false;
        }
    }

    private static async Task RunAsync(HttpContext context, UnifiedServices services, (ResolvedConnection Connection, string Resource, OperationDefinition Operation) target,
        string verb, string? id, JsonNode? input, int success)
    {
        var (connection, providerResource, _) = target;
        RecordResult result;
        try
        {
            result = await services.Executor.RecordAsync(connection.Provider, connection.Engine, providerResource, verb, id, input,
                CallContext.Interactive, context.RequestAborted);
        }
        catch (EngineCallException e)
        {
            await FailAsync(context, services, connection, providerResource, verb, e);
            return;
        }
        RateLimitHeaders.Write(context.Response.Headers, result.RateLimit, success);
        if (!result.Found)
        {
            await Problems.NotFound("The provider has no such record.").ExecuteAsync(context);
            return;
        }
        if (result.MappingFailure is { } failure)
        {
            var problem = Problems.Create(502, $"The provider's answer did not map to the unified model: {failure.Message}", "The provider's record did not map.");
            problem.Extensions["where"] = failure.Where;
            await TypedResults.Problem(problem).ExecuteAsync(context);
            return;
        }
        if (success == 204)
        {
            context.Response.StatusCode = 204;
            return;
        }
        var record = result.Record?.Data ?? new JsonObject();
        if (success == 201 && result.Record is { } created)
        {
            var location = $"{context.Request.PathBase}{context.Request.Path}/{Uri.EscapeDataString(created.RemoteId)}?connection={Uri.EscapeDataString(connection.Row.ExternalId)}";
            await TypedResults.Created(location, record).ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = success;
        await TypedResults.Json(record, statusCode: success).ExecuteAsync(context);
    }

    private static async Task FailAsync(HttpContext context, UnifiedServices services, ResolvedConnection connection, string resource, string verb,
        EngineCallException e)
    {
        EngineLog.UnifiedFailed(services.Logger, connection.Engine.ConnectionId, connection.ProviderKey, resource, verb,
            e is UpstreamCallException u ? $"{u.Status?.ToString(CultureInfo.InvariantCulture) ?? "no response"} {u.Classification.Action}" : e.GetType().Name);
        var problem = UpstreamProblems.For(e);
        if (e is UpstreamCallException call)
            RateLimitHeaders.Write(context.Response.Headers, call.RateLimit, problem.Status ?? 502, call.Classification.Wait);
        await TypedResults.Problem(problem).ExecuteAsync(context);
    }

    /// <summary>The connection, the provider resource mapped to the model, and its operation for the verb; or a problem written.</summary>
    private static async Task<(ResolvedConnection Connection, string Resource, OperationDefinition Operation)?> ResolveAsync(HttpContext context,
        UnifiedServices services, string category, string resource, string? connectionId, string verb)
    {
        if (string.IsNullOrEmpty(connectionId))
        {
            await Problems.BadRequest("Name the connection: ?connection=<its external id>.", field: "connection").ExecuteAsync(context);
            return null;
        }
        var model = UnifiedResourceNames.ModelOf(category, resource);
        if (model is null || !services.Models.Contains(model))
        {
            await Problems.NotFound($"No unified model for '{category}/{resource}' (models: {string.Join(", ", services.Models.Names.Select(UnifiedResourceNames.RouteOf))}).")
                .ExecuteAsync(context);
            return null;
        }
        var (resolution, connection) = await services.Connections.FindAsync(context.User.GetTenantId(), connectionId, context.RequestAborted);
        if (resolution == ConnectionResolution.NotFound)
        {
            await Problems.NotFound("No such connection.").ExecuteAsync(context);
            return null;
        }
        if (resolution == ConnectionResolution.NoDefinition)
        {
            await Problems.Conflict("The connection's provider has no engine definition, so it has no unified API.").ExecuteAsync(context);
            return null;
        }
        var candidates = connection!.Provider.Definition.Resources.Where(r => r.Value.Model == model).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        if (candidates.Count == 0)
        {
            await Problems.NotFound($"The connection's provider maps nothing to {model}.").ExecuteAsync(context);
            return null;
        }
        foreach (var (name, definition) in candidates)
            if (definition.Operations.TryGetValue(verb, out var operation)) return (connection, name, operation);
        await TypedResults.Problem(Problems.Create(405, $"The connection's provider does not support '{verb}' on {model}.")).ExecuteAsync(context);
        return null;
    }
}

/// <summary>The list endpoint's reserved query parameters (filters are read from the rest of the query).</summary>
public sealed record UnifiedQuery
{
    [FromQuery(Name = "connection")] public string? Connection { get; init; }
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }
    [FromQuery(Name = "limit")] public int? Limit { get; init; }
}

/// <summary>Unified models by route: <c>crm/contacts</c> ⇄ <c>crm.contact</c>, <c>crm/companies</c> ⇄ <c>crm.company</c>.</summary>
public static class UnifiedResourceNames
{
    public static string? ModelOf(string category, string resource)
    {
        if (category.Length == 0 || resource.Length < 2 || !category.All(char.IsAsciiLetterLower) || !resource.All(c => char.IsAsciiLetterLower(c) || c == '_'))
            return null;
        var singular = resource.EndsWith("ies", StringComparison.Ordinal) ? resource[..^3] + "y"
            : resource.EndsWith('s') ? resource[..^1] : null;
        return singular is null ? null : $"{category}.{singular}";
    }

    public static string RouteOf(string model)
    {
        var (category, name) = (model[..model.IndexOf('.')], model[(model.IndexOf('.') + 1)..]);
        var plural = name.EndsWith('y') ? name[..^1] + "ies" : name + "s";
        return $"{category}/{plural}";
    }
}
