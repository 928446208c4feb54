using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Webhooks;

/// <summary>A webhook endpoint as listed (never its secrets).</summary>
public sealed record WebhookEndpointView(int Id, string Url, string? Description, string Format, IReadOnlyList<string>? EventTypes,
    DateTime CreatedAt, DateTime? DisabledAt, string? DisabledReason);

/// <summary>A created endpoint or a rotation: the one time the new secret is shown.</summary>
public sealed record WebhookSecretView(int Id, string Url, string Secret, DateTime? PreviousSecretExpiresAt);

/// <summary>One delivery attempt as the tenant sees it.</summary>
public sealed record WebhookAttemptView(long DeliveryId, string MessageId, string EventType, int Attempt, DateTime AttemptedAt,
    int? HttpStatus, bool Succeeded, string? Error);

/// <summary>The tenant's webhook endpoints (admin scope): create (secret shown once), list, delete, rotate the secret,
/// and the delivery log.</summary>
public static class WebhookEndpointsApi
{
    private const int MaxBodyBytes = 16 * 1024;
    private static readonly string[] Fields = ["url", "description", "format", "eventTypes"];

    public static IEndpointRouteBuilder MapWebhookEndpointsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/webhook-endpoints").WithTags("Webhooks").RequireAuthorization(ApiPolicies.Admin);
        api.MapPost("", Create).WithName("CreateWebhookEndpoint")
            .WithSummary("Register an https endpoint for the tenant's webhook events; its signing secret (whsec_…) is in the response and never shown again")
            .Accepts<CreateWebhookEndpointRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("", List).WithName("ListWebhookEndpoints").WithSummary("List the tenant's webhook endpoints (never their secrets)");
        api.MapDelete("/{id:int}", Delete).WithName("DeleteWebhookEndpoint")
            .WithSummary("Delete an endpoint; what it still had pending is not sent").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:int}/rotate-secret", Rotate).WithName("RotateWebhookSecret")
            .WithSummary("Issue a new signing secret (shown once); the previous ones keep signing alongside it for Webhooks:RotationOverlap")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:int}/attempts", Attempts).WithName("ListWebhookAttempts")
            .WithSummary("The endpoint's latest delivery attempts, newest first (status and error class, never bodies)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The body of <c>POST /v1/webhook-endpoints</c> (documentation; read by <see cref="JsonObjectBody"/>).</summary>
    public sealed record CreateWebhookEndpointRequest(string Url, string? Description = null, string? Format = null, IReadOnlyList<string>? EventTypes = null);

    public static async Task<Results<Created<WebhookSecretView>, ProblemHttpResult>> Create(HttpContext context,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, WebhookSecrets secrets, IOptions<WebhookOptions> options,
        TimeProvider time, ILoggerFactory loggers)
    {
        var (body, problem) = await JsonObjectBody.ReadAsync(context, MaxBodyBytes, Fields, "webhook endpoint");
        if (problem is not null) return problem;
        using var request = body!;
        var url = request.String("url", 2000, required: true);
        if (url is not null && WebhookUrlPolicy.Problem(url, options.Value.AllowPrivateAddresses) is { } urlProblem)
            request.Errors.Add(-1, "url", urlProblem);
        var description = request.String("description", 300);
        var formatText = request.String("format", 20);
        var format = formatText switch
        {
            null or "standard" => WebhookEndpointFormat.Standard,
            "slack" => WebhookEndpointFormat.Slack,
            "teams" => WebhookEndpointFormat.Teams,
            _ => (WebhookEndpointFormat?)null,
        };
        if (format is null) request.Errors.Add(-1, "format", "'format' must be standard, slack or teams.");
        var types = request.Strings("eventTypes", 50, 100);
        if (request.Errors.Any) return request.Invalid("webhook endpoint");

        var tenantId = context.User.GetTenantId();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.WebhookEndpoints.CountAsync(e => e.TenantId == tenantId && e.Audience == WebhookEndpointAudience.Tenant, context.RequestAborted) >= options.Value.MaxEndpointsPerTenant)
            return Problems.Conflict($"The tenant has {options.Value.MaxEndpointsPerTenant} endpoints, the most allowed (Webhooks:MaxEndpointsPerTenant); delete one first.");
        var secret = WebhookSignature.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            TenantId = tenantId, Url = url!, Description = description, Format = format!.Value,
            EventTypes = types is { Count: > 0 } ? string.Join(' ', types) : null,
            ProtectedSecrets = secrets.Protect([new WebhookSecret(secret, null)]), CreatedAt = now,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(context.RequestAborted);
        WebLog.WebhookEndpointCreated(loggers.CreateLogger(typeof(WebhookEndpointsApi)), endpoint.Id, tenantId);
        return TypedResults.Created($"/v1/webhook-endpoints/{endpoint.Id}", new WebhookSecretView(endpoint.Id, endpoint.Url, secret, null));
    }

    public static async Task<Ok<IReadOnlyList<WebhookEndpointView>>> List(HttpContext context, IDbContextFactory<IntegrationHealthDbContext> dbFactory)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var rows = await db.WebhookEndpoints.AsNoTracking().Where(e => e.TenantId == tenantId && e.Audience == WebhookEndpointAudience.Tenant).OrderBy(e => e.Id).ToListAsync(context.RequestAborted);
        IReadOnlyList<WebhookEndpointView> views = [.. rows.Select(View)];
        return TypedResults.Ok(views);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext context, int id, IDbContextFactory<IntegrationHealthDbContext> dbFactory)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var deleted = await db.WebhookEndpoints.Where(e => e.Id == id && e.TenantId == tenantId && e.Audience == WebhookEndpointAudience.Tenant).ExecuteDeleteAsync(context.RequestAborted);
        return deleted == 1 ? TypedResults.NoContent() : Problems.NotFound($"No webhook endpoint {id}.");
    }

    public static async Task<Results<Ok<WebhookSecretView>, ProblemHttpResult>> Rotate(HttpContext context, int id,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, WebhookSecrets secrets, IOptions<WebhookOptions> options, TimeProvider time,
        ILoggerFactory loggers)
    {
        var tenantId = context.User.GetTenantId();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id && e.TenantId == tenantId && e.Audience == WebhookEndpointAudience.Tenant, context.RequestAborted);
        if (endpoint is null) return Problems.NotFound($"No webhook endpoint {id}.");
        var fresh = WebhookSignature.NewSecret();
        var rotated = WebhookSecrets.Rotate(secrets.Unprotect(endpoint.ProtectedSecrets), fresh, now, options.Value.RotationOverlap);
        endpoint.ProtectedSecrets = secrets.Protect(rotated);
        await db.SaveChangesAsync(context.RequestAborted);
        WebLog.WebhookSecretRotated(loggers.CreateLogger(typeof(WebhookEndpointsApi)), id, tenantId);
        return TypedResults.Ok(new WebhookSecretView(id, endpoint.Url, fresh, rotated.Skip(1).Select(s => s.ExpiresAt).Max()));
    }

    public static async Task<Results<Ok<IReadOnlyList<WebhookAttemptView>>, ProblemHttpResult>> Attempts(HttpContext context, int id,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id && e.TenantId == tenantId && e.Audience == WebhookEndpointAudience.Tenant, context.RequestAborted))
            return Problems.NotFound($"No webhook endpoint {id}.");
        var rows = await (from a in db.WebhookAttempts
                          join d in db.WebhookDeliveries on a.DeliveryId equals d.Id
                          join m in db.WebhookMessages on d.MessageId equals m.Id
                          where d.EndpointId == id && d.TenantId == tenantId
                          orderby a.Id descending
                          select new { a, m.MessageId, m.EventType }).Take(100).AsNoTracking().ToListAsync(context.RequestAborted);
        IReadOnlyList<WebhookAttemptView> views = [.. rows.Select(r => new WebhookAttemptView(r.a.DeliveryId, r.MessageId, r.EventType, r.a.Attempt,
            StoredInstant.Utc(r.a.AttemptedAt), r.a.HttpStatus, r.a.Succeeded, r.a.Error))];
        return TypedResults.Ok(views);
    }

    private static WebhookEndpointView View(WebhookEndpoint e) => new(e.Id, e.Url, e.Description, e.Format switch
    {
        WebhookEndpointFormat.Slack => "slack",
        WebhookEndpointFormat.Teams => "teams",
        _ => "standard",
    }, e.EventTypes?.Split(' '), StoredInstant.Utc(e.CreatedAt), StoredInstant.Utc(e.DisabledAt), e.DisabledReason);
}
