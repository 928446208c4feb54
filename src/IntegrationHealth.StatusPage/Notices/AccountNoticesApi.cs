using System.Globalization;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Model;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.StatusPage.Notices;

/// <summary>
/// In-app notices (<c>GET /v1/accounts/{id}/notices</c>, read key): the tenant's active incidents and the maintenances
/// in progress, verifying or starting within <c>StatusPage:NoticeLeadTime</c> whose components are driven by a provider
/// the account has a connection to (not a disabled one), so the product shows a banner only to the customers who are
/// affected. A component is tied to a provider by its <c>provider</c> (the one whose telemetry derives its status); a
/// component with a resource affects every connection to that provider, since a connection uses all its resources.
/// Another tenant's account is 404, like an unknown one.
/// </summary>
public static class AccountNoticesApi
{
    public const int MaxMessageLength = 280;

    public static IEndpointRouteBuilder MapAccountNoticesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/accounts").WithTags("Status page (notices)").RequireAuthorization(ApiPolicies.Read)
            .MapGet("/{externalId}/notices", ListNotices)
            .WithName("ListAccountNotices")
            .WithSummary("Active incidents and running or imminent maintenance affecting the account's connections (for in-app banners)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<AccountNotices>, ProblemHttpResult>> ListNotices(HttpContext context, string externalId,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, IOptions<StatusPageOptions> options, TimeProvider time)
    {
        externalId = RouteText.Exact(context, nameof(externalId), externalId);
        if (TextRules.IdentifierProblem(nameof(externalId), externalId) is { } problem) return Problems.BadRequest(problem, field: nameof(externalId));
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId && a.ExternalId == externalId)
            .Select(a => new { a.Id, a.ExternalId }).FirstOrDefaultAsync(ct);
        if (account is null) return Problems.NotFound($"No account '{externalId}'.");
        var page = await db.StatusPages.AsNoTracking().FirstOrDefaultAsync(p => p.TenantId == tenantId, ct);
        if (page is null) return TypedResults.Ok(new AccountNotices(account.ExternalId, []));

        var providerIds = await db.Connections.AsNoTracking()
            .Where(c => c.TenantId == tenantId && c.AccountId == account.Id && c.Status != ConnectionStatus.Disabled)
            .Select(c => c.ProviderId).Distinct().ToListAsync(ct);
        var components = await db.StatusComponents.AsNoTracking()
            .Where(c => c.PageId == page.Id && c.ProviderId != null && providerIds.Contains(c.ProviderId.Value)).ToListAsync(ct);
        if (components.Count == 0) return TypedResults.Ok(new AccountNotices(account.ExternalId, []));

        var now = time.GetUtcNow().UtcDateTime;
        var horizon = now + options.Value.NoticeLeadTime;
        var componentIds = components.Select(c => c.Id).ToList();
        var incidents = await (from i in db.StatusIncidents.AsNoTracking()
                               where i.PageId == page.Id && i.ResolvedAt == null
                                   && db.StatusIncidentComponents.Any(l => l.IncidentId == i.Id && componentIds.Contains(l.ComponentId))
                                   && (!i.IsMaintenance || i.Status == IncidentStatus.InProgress || i.Status == IncidentStatus.Verifying
                                       || (i.Status == IncidentStatus.Scheduled && i.ScheduledFor <= horizon))
                               select i).ToListAsync(ct);
        if (incidents.Count == 0) return TypedResults.Ok(new AccountNotices(account.ExternalId, []));

        var ids = incidents.Select(i => i.Id).ToList();
        var links = (await db.StatusIncidentComponents.AsNoTracking().Where(l => ids.Contains(l.IncidentId) && componentIds.Contains(l.ComponentId))
            .ToListAsync(ct)).ToLookup(l => l.IncidentId, l => l.ComponentId);
        var updates = (await db.StatusIncidentUpdates.AsNoTracking().Where(u => ids.Contains(u.IncidentId)).ToListAsync(ct))
            .ToLookup(u => u.IncidentId);
        var usedProviders = components.Select(c => c.ProviderId!.Value).Distinct().ToList();
        var providerKeys = await db.Providers.AsNoTracking().Where(p => usedProviders.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Key, ct);
        var byId = components.ToDictionary(c => c.Id);
        var pageUrl = page.Url?.TrimEnd('/') ?? $"/pages/{page.Slug}";

        var notices = incidents
            .OrderBy(i => i.IsMaintenance).ThenByDescending(i => i.Impact).ThenByDescending(i => i.StartedAt).ThenBy(i => i.Id)
            .Select(i =>
            {
                var affected = links[i.Id].Select(id => byId[id]).OrderBy(c => c.Position).ThenBy(c => c.Id).ToList();
                var latest = updates[i.Id].OrderByDescending(u => u.DisplayAt).ThenByDescending(u => u.Id).FirstOrDefault();
                return new Notice(
                    i.IsMaintenance ? "maintenance" : "incident",
                    i.Id.ToString(CultureInfo.InvariantCulture),
                    i.Name,
                    Shorten(latest?.Body ?? i.Name),
                    StatusWire.Of(i.Status),
                    StatusWire.Of(i.Impact),
                    DateTime.SpecifyKind(i.IsMaintenance ? i.ScheduledFor ?? i.StartedAt : i.StartedAt, DateTimeKind.Utc),
                    i.ScheduledUntil is { } until ? DateTime.SpecifyKind(until, DateTimeKind.Utc) : null,
                    [.. affected.Select(c => providerKeys[c.ProviderId!.Value]).Distinct().Order(StringComparer.Ordinal)],
                    [.. affected.Select(c => new NoticeComponent(c.Id.ToString(CultureInfo.InvariantCulture), c.Name, StatusWire.Of(c.Status)))],
                    $"{pageUrl}/incidents/{i.Id.ToString(CultureInfo.InvariantCulture)}");
            }).ToList();
        return TypedResults.Ok(new AccountNotices(account.ExternalId, notices));
    }

    /// <summary>At most <see cref="MaxMessageLength"/> characters, cut at a word with an ellipsis (never inside a
    /// surrogate pair).</summary>
    public static string Shorten(string text)
    {
        text = text.Trim();
        if (text.Length <= MaxMessageLength) return text;
        var cut = text.LastIndexOf(' ', MaxMessageLength - 1);
        if (cut < MaxMessageLength / 2) cut = MaxMessageLength - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut].TrimEnd() + "…";
    }
}
