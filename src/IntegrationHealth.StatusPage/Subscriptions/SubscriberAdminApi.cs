using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Admin;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Subscriptions;

/// <summary>The page's subscribers for staff (admin key): list (never a token or a secret) and delete. Another
/// tenant's ids are 404.</summary>
public static class SubscriberAdminApi
{
    public static IEndpointRouteBuilder MapSubscriberAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/status-page/subscribers").WithTags("Status page (admin)").RequireAuthorization(ApiPolicies.Admin);
        api.MapGet("", List).WithName("ListStatusSubscribers")
            .WithSummary("The page's e-mail and webhook subscribers, confirmed or not, by id (keyset pages; no tokens or secrets)")
            .ProducesProblem(400).ProducesProblem(404);
        api.MapDelete("/{id:int}", Delete).WithName("DeleteStatusSubscriber")
            .WithSummary("Remove a subscriber (and its webhook endpoint, with what was still pending for it)").ProducesProblem(404);
        return app;
    }

    public static async Task<Results<Ok<Page<SubscriberView>>, ProblemHttpResult>> List(HttpContext context, int? limit, string? cursor,
        [AsParameters] SubscriptionServices services)
    {
        if (Paging.TryParse(limit, cursor, out var request) is { } problem) return problem;
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await AdminRequests.PageAsync(db, context) is not { } page) return AdminRequests.NoPage();
        var result = await db.StatusSubscribers.AsNoTracking().Where(s => s.PageId == page.Id && s.TenantId == page.TenantId)
            .ToPageAsync(request, s => s.Id, View, context.RequestAborted);
        return TypedResults.Ok(result);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(HttpContext context, int id, [AsParameters] SubscriptionServices services)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        var tenantId = context.User.GetTenantId();
        var subscriber = await db.StatusSubscribers.FirstOrDefaultAsync(s => s.Id == id && s.TenantId == tenantId, context.RequestAborted);
        if (subscriber is null) return Problems.NotFound($"No subscriber {id}.");
        await using var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted);
        db.StatusSubscribers.Remove(subscriber); // its mails go with it (cascade)
        await db.SaveChangesAsync(context.RequestAborted);
        if (subscriber.WebhookEndpointId is { } endpointId)
            await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.Audience == WebhookEndpointAudience.StatusSubscriber)
                .ExecuteDeleteAsync(context.RequestAborted); // its deliveries go with it (cascade)
        await transaction.CommitAsync(context.RequestAborted);
        StatusPageLog.SubscriberChanged(services.Logger, subscriber.PageId, subscriber.Id, "deleted by staff");
        return TypedResults.NoContent();
    }

    private static SubscriberView View(StatusSubscriber s) => new(s.Id, s.Kind == SubscriberKind.Email ? "email" : "webhook", s.Email, s.WebhookUrl,
        s.ComponentIds?.Split(',').Select(int.Parse).ToList(), s.ConfirmedAt is not null, StoredInstant.Utc(s.CreatedAt),
        StoredInstant.Utc(s.ConfirmedAt), StoredInstant.Utc(s.DisabledAt));
}
