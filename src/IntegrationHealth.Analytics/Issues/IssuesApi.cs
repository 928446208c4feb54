using System.Globalization;
using IntegrationHealth.Analytics.AtRisk;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Issues;

/// <summary>A page of connection issues, ranked by ARR at risk (the account's ARR while the issue is open).</summary>
public sealed record IssuePage(IReadOnlyList<IssueView> Items, string? NextCursor);

/// <summary>Connection issues: list (ranked by ARR at risk), one issue, mute and unmute.</summary>
public static class IssuesApi
{
    public static IEndpointRouteBuilder MapIssuesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/connection-issues").WithTags("Health");
        api.MapGet("", ListIssues).RequireAuthorization(ApiPolicies.Read)
            .WithName("ListConnectionIssues")
            .WithSummary("Connection issues, open first and ranked by ARR at risk, paged by cursor")
            .WithDescription("Filters: status (open, resolved, all; default open), account (external id), kind; limit 1-1000 (default 100).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/{id}", GetIssue).RequireAuthorization(ApiPolicies.Read)
            .WithName("GetConnectionIssue")
            .WithSummary("One connection issue")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/mute", MuteIssue).RequireAuthorization(ApiPolicies.Admin)
            .WithName("MuteConnectionIssue")
            .WithSummary("Mute an issue: it stays tracked but sends no webhooks and leaves the scores (admin)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/unmute", UnmuteIssue).RequireAuthorization(ApiPolicies.Admin)
            .WithName("UnmuteConnectionIssue")
            .WithSummary("Unmute an issue (admin)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static readonly string[] Kinds = Enum.GetValues<IssueKind>().Select(IssueView.KindName).ToArray();

    public static async Task<Results<Ok<IssuePage>, ProblemHttpResult>> ListIssues(HttpContext context,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, string? status, string? account, string? kind, int? limit, string? cursor)
    {
        var take = limit ?? Paging.DefaultLimit;
        if (take is < 1 or > Paging.MaxLimit) return Problems.BadRequest($"'limit' must be from 1 to {Paging.MaxLimit}.", field: "limit");
        if (!RankCursor.TryDecode(cursor, out var afterArr, out var afterId)) return Problems.BadRequest("'cursor' is not a cursor this API returned.", field: "cursor");
        if (status is not (null or "open" or "resolved" or "all")) return Problems.BadRequest("'status' must be open, resolved or all.", field: "status");
        IssueKind? kindFilter = null;
        if (kind is not null)
        {
            var i = Array.IndexOf(Kinds, kind);
            if (i < 0) return Problems.BadRequest($"'kind' must be one of {string.Join(", ", Kinds)}.", field: "kind");
            kindFilter = (IssueKind)i;
        }

        if (account is not null && TextRules.IdentifierProblem("account", account) is { } accountProblem) return Problems.BadRequest(accountProblem, field: "account");
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = from i in db.ConnectionIssues
                   join a in db.Accounts on i.AccountId equals a.Id
                   where i.TenantId == tenantId && a.TenantId == tenantId
                   select new { i, a.ExternalId, a.Arr };
        if (account is not null) rows = rows.Where(r => r.ExternalId == account);
        if (kindFilter is { } k) rows = rows.Where(r => r.i.Kind == k);
        rows = (status ?? "open") switch
        {
            "open" => rows.Where(r => r.i.Status == IssueStatus.Open),
            "resolved" => rows.Where(r => r.i.Status == IssueStatus.Resolved),
            _ => rows,
        };
        // Ranked by ARR at risk: open issues carry their account's ARR, resolved ones none; ties by id. Ranked in memory
        // after the filters (decimal ordering is not portable to SQLite), a tenant's issues being hundreds, not millions.
        var all = (await rows.ToListAsync(ct))
            .Select(r => (r.i, r.ExternalId, Rank: r.i.Status == IssueStatus.Open ? (double)r.Arr : 0, r.Arr))
            .OrderByDescending(r => r.Rank).ThenBy(r => r.i.Id).ToList();
        var page = all.Where(r => cursor is null || r.Rank < afterArr || (r.Rank == afterArr && r.i.Id > afterId)).Take(take + 1).ToList();
        var more = page.Count > take;
        if (more) page.RemoveAt(page.Count - 1);
        var names = await NamesAsync(db, tenantId, ct);
        var items = page.Select(r => View(r.i, r.ExternalId, r.Arr, names)).ToList();
        return TypedResults.Ok(new IssuePage(items, more ? RankCursor.Encode(page[^1].Rank, page[^1].i.Id) : null));
    }

    public static async Task<Results<Ok<IssueView>, ProblemHttpResult>> GetIssue(HttpContext context, IDbContextFactory<IntegrationHealthDbContext> dbFactory, string id)
    {
        if (!TryId(id, out var issueId)) return Problems.BadRequest("'id' must be an issue id (a positive integer).", field: "id");
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        return await FindAsync(db, tenantId, issueId, context.RequestAborted) is { } found
            ? TypedResults.Ok(View(found.Issue, found.Account, found.Arr, await NamesAsync(db, tenantId, context.RequestAborted)))
            : Problems.NotFound($"No connection issue {issueId}.");
    }

    public static Task<Results<Ok<IssueView>, ProblemHttpResult>> MuteIssue(HttpContext context, IDbContextFactory<IntegrationHealthDbContext> dbFactory,
        TimeProvider time, IServiceProvider services, string id) => SetMutedAsync(context, dbFactory, time, services, id, true);

    public static Task<Results<Ok<IssueView>, ProblemHttpResult>> UnmuteIssue(HttpContext context, IDbContextFactory<IntegrationHealthDbContext> dbFactory,
        TimeProvider time, IServiceProvider services, string id) => SetMutedAsync(context, dbFactory, time, services, id, false);

    private static async Task<Results<Ok<IssueView>, ProblemHttpResult>> SetMutedAsync(HttpContext context, IDbContextFactory<IntegrationHealthDbContext> dbFactory,
        TimeProvider time, IServiceProvider services, string id, bool mute)
    {
        if (!TryId(id, out var issueId)) return Problems.BadRequest("'id' must be an issue id (a positive integer).", field: "id");
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var issue = await db.ConnectionIssues.FirstOrDefaultAsync(i => i.TenantId == tenantId && i.Id == issueId, ct);
        if (issue is null) return Problems.NotFound($"No connection issue {issueId}.");
        var now = time.GetUtcNow().UtcDateTime;
        var changed = mute != (issue.MutedAt is not null);
        if (changed)
        {
            issue.MutedAt = mute ? now : null;
            issue.MutedBy = mute ? "key " + context.User.GetKeyId().ToString(CultureInfo.InvariantCulture) : null;
            issue.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            if (services.GetService(typeof(IWebhookOutbox)) is IWebhookOutbox outbox)
                await IssueJob.NotifyAsync(outbox, issue, mute ? "muted" : "unmuted", now, ct);
        }

        var found = await FindAsync(db, tenantId, issueId, ct);
        return TypedResults.Ok(View(found!.Value.Issue, found.Value.Account, found.Value.Arr, await NamesAsync(db, tenantId, ct)));
    }

    private static bool TryId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 && text.Length <= 19;

    private static async Task<(ConnectionIssue Issue, string Account, decimal Arr)?> FindAsync(IntegrationHealthDbContext db, int tenantId, long id, CancellationToken ct)
    {
        var row = await (from i in db.ConnectionIssues.AsNoTracking()
                         join a in db.Accounts on i.AccountId equals a.Id
                         where i.TenantId == tenantId && a.TenantId == tenantId && i.Id == id
                         select new { i, a.ExternalId, a.Arr }).FirstOrDefaultAsync(ct);
        return row is null ? null : (row.i, row.ExternalId, row.Arr);
    }

    private sealed record Names(Dictionary<int, string> Providers, Dictionary<int, string> Connections);

    private static async Task<Names> NamesAsync(IntegrationHealthDbContext db, int tenantId, CancellationToken ct) => new(
        await db.Providers.AsNoTracking().Where(p => p.TenantId == null || p.TenantId == tenantId).ToDictionaryAsync(p => p.Id, p => p.Key, ct),
        await db.Connections.AsNoTracking().Where(c => c.TenantId == tenantId).ToDictionaryAsync(c => c.Id, c => c.ExternalId, ct));

    private static IssueView View(ConnectionIssue i, string account, decimal arr, Names names) =>
        IssueView.Of(i, (account, names.Providers.GetValueOrDefault(i.ProviderId) ?? "", names.Connections.GetValueOrDefault(i.ConnectionId), arr));
}
