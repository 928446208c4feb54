using System.Globalization;
using System.Text;
using System.Text.Json;
using IntegrationHealth.Analytics.Issues;
using IntegrationHealth.Analytics.Scoring;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.AtRisk;

/// <summary>The services of the at-risk, health and score endpoints.</summary>
public sealed class AtRiskServices(IDbContextFactory<IntegrationHealthDbContext> dbFactory, ChurnRiskScorer scorer, TimeProvider time)
{
    public IDbContextFactory<IntegrationHealthDbContext> DbFactory { get; } = dbFactory;
    public ChurnRiskScorer Scorer { get; } = scorer;
    public TimeProvider Time { get; } = time;
}

/// <summary>At-risk accounts, an account's health, scores as of an instant and the score export.</summary>
public static class AtRiskApi
{
    public static IEndpointRouteBuilder MapAtRiskApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("Health").RequireAuthorization(ApiPolicies.Read);
        api.MapGet("/at-risk", ListAtRisk)
            .WithName("ListAtRiskAccounts")
            .WithSummary("Accounts ranked by churn risk (latest daily scores), with ARR at risk, paged by cursor")
            .WithDescription("Filters: csm (exact), segment (smb, mid_market, enterprise), provider (key of a provider the account is connected to), " +
                "band (healthy, watch, at_risk, critical); limit 1-1000 (default 100). ARR at risk is ARR × the churn probability (model) or ARR × score/100 (scorecard).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/accounts/{externalId}/health", GetAccountHealth)
            .WithName("GetAccountHealth")
            .WithSummary("An account's churn-risk score with its factors and explanation, its trend and daily history, and its open issues")
            .WithDescription("The latest stored daily score; computed on demand (not stored) when the account has none. History: up to 90 days.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/scores", ListScores)
            .WithName("ListScores")
            .WithSummary("Every account's score as of an instant (default now), paged by account")
            .WithDescription("asOf: an ISO 8601 date or instant. A day the daily job scored (00:00 UTC) is read from history; any other instant is computed from the data known then.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/scores/export", ExportScores)
            .WithName("ExportScores")
            .WithSummary("Every account's score as of an instant, all in one JSON document")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/scores/export.csv", ExportScoresCsv)
            .WithName("ExportScoresCsv")
            .WithSummary("Every account's score as of an instant, as CSV (account_id, as_of, scorer, score, band, probability, explanation)")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Results<Ok<AtRiskPage>, ProblemHttpResult>> ListAtRisk(HttpContext context, [AsParameters] AtRiskServices services,
        string? csm, string? segment, string? provider, string? band, int? limit, string? cursor)
    {
        var take = limit ?? Paging.DefaultLimit;
        if (take is < 1 or > Paging.MaxLimit) return Problems.BadRequest($"'limit' must be from 1 to {Paging.MaxLimit}.", field: "limit");
        if (!RankCursor.TryDecode(cursor, out var afterScore, out var afterId)) return Problems.BadRequest("'cursor' is not a cursor this API returned.", field: "cursor");
        AccountSegment? segmentFilter = null;
        if (segment is not null)
        {
            var i = Array.IndexOf(WireNames.Segments, segment);
            if (i < 0) return Problems.BadRequest($"'segment' must be one of {string.Join(", ", WireNames.Segments)}.", field: "segment");
            segmentFilter = (AccountSegment)i;
        }

        RiskBand? bandFilter = null;
        if (band is not null)
        {
            if (!RiskBands.TryParse(band, out var b)) return Problems.BadRequest("'band' must be one of healthy, watch, at_risk, critical.", field: "band");
            bandFilter = b;
        }

        if (csm is not null && TextRules.FreeTextProblem("csm", csm) is { } csmProblem) return Problems.BadRequest(csmProblem, field: "csm");
        if (provider is not null && TextRules.IdentifierProblem("provider", provider) is { } providerProblem) return Problems.BadRequest(providerProblem, field: "provider");
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(ct);
        var day = await db.AccountScores.Where(s => s.TenantId == tenantId).MaxAsync(s => (DateTime?)s.Day, ct);
        if (day is null) return TypedResults.Ok(new AtRiskPage(null, "none", 0, [], null));
        var rows = from s in db.AccountScores
                   join a in db.Accounts on s.AccountId equals a.Id
                   where s.TenantId == tenantId && a.TenantId == tenantId && s.Day == day.Value
                   select new { s, a };
        if (segmentFilter is { } seg) rows = rows.Where(r => r.a.Segment == seg);
        if (csm is not null) rows = rows.Where(r => r.a.Csm == csm);
        if (bandFilter is { } bf) rows = rows.Where(r => r.s.Band == bf);
        if (provider is not null)
        {
            var providerIds = await db.Providers.Where(p => p.Key == provider && (p.TenantId == null || p.TenantId == tenantId)).Select(p => p.Id).ToListAsync(ct);
            rows = rows.Where(r => db.Connections.Any(c => c.TenantId == tenantId && c.AccountId == r.a.Id && providerIds.Contains(c.ProviderId)));
        }

        var all = await rows.Select(r => new { r.s.Score, r.s.Probability, r.a.Arr }).ToListAsync(ct);
        var total = all.Sum(r => ArrAtRisk(r.Arr, r.Score, r.Probability));
        var paged = cursor is null ? rows : rows.Where(r => r.s.Score < afterScore || (r.s.Score == afterScore && r.a.Id > afterId));
        var page = await paged.OrderByDescending(r => r.s.Score).ThenBy(r => r.a.Id).Take(take + 1).ToListAsync(ct);
        var more = page.Count > take;
        if (more) page.RemoveAt(page.Count - 1);
        var ids = page.Select(p => p.a.Id).ToList();
        var before7 = await ScoresOnAsync(db, tenantId, day.Value.AddDays(-7), ids, ct);
        var before30 = await ScoresOnAsync(db, tenantId, day.Value.AddDays(-30), ids, ct);
        var items = page.Select(p => new AtRiskAccountView(p.a.ExternalId, p.a.Name, WireNames.Of(p.a.Segment), p.a.Csm, p.a.Arr, p.s.Score,
            RiskBands.Of(p.s.Band), ArrAtRisk(p.a.Arr, p.s.Score, p.s.Probability), Change(p.s.Score, before7, p.a.Id), Change(p.s.Score, before30, p.a.Id),
            p.s.Explanation)).ToList();
        var scorer = page.Count > 0 ? ScorerName(page[0].s.Scorer) : "scorecard";
        return TypedResults.Ok(new AtRiskPage(StoredInstant.Utc(day.Value), scorer, total, items,
            more ? RankCursor.Encode(page[^1].s.Score, page[^1].a.Id) : null));
    }

    public static async Task<Results<Ok<AccountHealthView>, ProblemHttpResult>> GetAccountHealth(HttpContext context, [AsParameters] AtRiskServices services,
        string externalId)
    {
        externalId = RouteText.Exact(context, nameof(externalId), externalId);
        if (TextRules.IdentifierProblem(nameof(externalId), externalId) is { } problem) return Problems.BadRequest(problem, field: nameof(externalId));
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(ct);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId && a.ExternalId == externalId, ct);
        if (account is null) return Problems.NotFound($"No account '{externalId}'.");
        var historyFrom = services.Time.GetUtcNow().UtcDateTime.AddDays(-90);
        var history = await db.AccountScores.AsNoTracking().Where(s => s.TenantId == tenantId && s.AccountId == account.Id && s.Day >= historyFrom)
            .OrderBy(s => s.Day).ToListAsync(ct);
        ScoreView? current;
        if (history.Count > 0)
        {
            current = View(externalId, history[^1]);
        }
        else
        {
            var now = services.Time.GetUtcNow().UtcDateTime;
            var computed = await services.Scorer.ScoreAsync(tenantId, now, ct);
            current = computed.Scores.FirstOrDefault(s => s.AccountId == account.Id) is { } s ? View(externalId, now, s) : null;
        }

        double? ChangeFrom(int days)
        {
            if (history.Count == 0) return null;
            var target = history[^1].Day.AddDays(-days);
            var then = history.LastOrDefault(h => h.Day <= target);
            return then is null ? null : Math.Round(history[^1].Score - then.Score, 1);
        }

        var names = await db.Providers.AsNoTracking().Where(p => p.TenantId == null || p.TenantId == tenantId).ToDictionaryAsync(p => p.Id, p => p.Key, ct);
        var connections = await db.Connections.AsNoTracking().Where(c => c.TenantId == tenantId && c.AccountId == account.Id).ToDictionaryAsync(c => c.Id, c => c.ExternalId, ct);
        var issues = await db.ConnectionIssues.AsNoTracking().Where(i => i.TenantId == tenantId && i.AccountId == account.Id && i.Status == IssueStatus.Open)
            .OrderByDescending(i => i.LastSeenAt).ToListAsync(ct);
        var issueViews = issues.Select(i => IssueView.Of(i, (externalId, names.GetValueOrDefault(i.ProviderId) ?? "", connections.GetValueOrDefault(i.ConnectionId), account.Arr))).ToList();
        return TypedResults.Ok(new AccountHealthView(externalId, account.Name, account.Arr, current, ChangeFrom(7), ChangeFrom(30),
            history.Select(h => new HistoryPoint(StoredInstant.Utc(h.Day), h.Score, RiskBands.Of(h.Band))).ToList(), issueViews));
    }

    public static async Task<Results<Ok<ScoresPage>, ProblemHttpResult>> ListScores(HttpContext context, [AsParameters] AtRiskServices services,
        string? asOf, int? limit, string? cursor)
    {
        if (Paging.TryParse(limit, cursor, out var page) is { } pageProblem) return pageProblem;
        if (!TryInstant(asOf, services.Time, out var instant)) return Problems.BadRequest("'asOf' must be an ISO 8601 date or instant, not in the future.", field: "asOf");
        var result = await ScoresAsOfAsync(context, services, instant);
        var items = result.Items.Where(i => i.Id > page.AfterId).OrderBy(i => i.Id).Take(page.Take + 1).ToList();
        var more = items.Count > page.Take;
        if (more) items.RemoveAt(items.Count - 1);
        return TypedResults.Ok(result.Page with { Items = items.Select(i => i.View).ToList(), NextCursor = Paging.Next(more, items.Count > 0 ? items[^1].Id : 0) });
    }

    public static async Task<Results<Ok<ScoresPage>, ProblemHttpResult>> ExportScores(HttpContext context,
        [AsParameters] AtRiskServices services, string? asOf)
    {
        if (!TryInstant(asOf, services.Time, out var instant)) return Problems.BadRequest("'asOf' must be an ISO 8601 date or instant, not in the future.", field: "asOf");
        var result = await ScoresAsOfAsync(context, services, instant);
        return TypedResults.Ok(result.Page with { Items = result.Items.OrderBy(i => i.Id).Select(i => i.View).ToList() });
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ExportScoresCsv(HttpContext context,
        [AsParameters] AtRiskServices services, string? asOf)
    {
        if (!TryInstant(asOf, services.Time, out var instant)) return Problems.BadRequest("'asOf' must be an ISO 8601 date or instant, not in the future.", field: "asOf");
        var result = await ScoresAsOfAsync(context, services, instant);
        var all = result.Page with { Items = result.Items.OrderBy(i => i.Id).Select(i => i.View).ToList() };
        var csv = new StringBuilder("account_id,as_of,scorer,score,band,probability,explanation\n");
        foreach (var s in all.Items)
        {
            csv.Append(Csv(s.AccountId)).Append(',').Append(s.AsOf.ToString("O", CultureInfo.InvariantCulture)).Append(',').Append(s.Scorer).Append(',')
                .Append(s.Score.ToString(CultureInfo.InvariantCulture)).Append(',').Append(s.Band).Append(',')
                .Append(s.Probability?.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Csv(s.Explanation)).Append('\n');
        }

        context.Response.Headers.ContentDisposition = "attachment; filename=\"scores.csv\"";
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private sealed record ScoresResult(ScoresPage Page, List<(int Id, ScoreView View)> Items);

    private static async Task<ScoresResult> ScoresAsOfAsync(HttpContext context, AtRiskServices services, DateTime instant)
    {
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(ct);
        var ids = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId).ToDictionaryAsync(a => a.Id, a => a.ExternalId, ct);
        var stored = instant.TimeOfDay == TimeSpan.Zero
            ? await db.AccountScores.AsNoTracking().Where(s => s.TenantId == tenantId && s.Day == instant).ToListAsync(ct)
            : [];
        if (stored.Count > 0)
        {
            var items = stored.Where(s => ids.ContainsKey(s.AccountId)).Select(s => (s.AccountId, View(ids[s.AccountId], s))).ToList();
            return new ScoresResult(new ScoresPage(instant, ScorerName(stored[0].Scorer), true, null, [], null), items);
        }

        var computed = await services.Scorer.ScoreAsync(tenantId, instant, ct);
        var views = computed.Scores.Where(s => ids.ContainsKey(s.AccountId)).Select(s => (s.AccountId, View(ids[s.AccountId], instant, s))).ToList();
        return new ScoresResult(new ScoresPage(instant, ScorerName(computed.Scorer), false, computed.ModelAuc, [], null), views);
    }

    private static bool TryInstant(string? text, TimeProvider time, out DateTime instant)
    {
        var now = time.GetUtcNow().UtcDateTime;
        instant = now;
        if (text is null) return true;
        if (text.Length > 40) return false;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            instant = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto) && text.Contains('T'))
            instant = dto.UtcDateTime;
        else
            return false;
        return instant <= now && instant.Year >= 2000;
    }

    private static async Task<Dictionary<int, double>> ScoresOnAsync(IntegrationHealthDbContext db, int tenantId, DateTime day, List<int> ids, CancellationToken ct) =>
        await db.AccountScores.AsNoTracking().Where(s => s.TenantId == tenantId && s.Day == day && ids.Contains(s.AccountId))
            .ToDictionaryAsync(s => s.AccountId, s => s.Score, ct);

    private static double? Change(double score, Dictionary<int, double> before, int id) =>
        before.TryGetValue(id, out var then) ? Math.Round(score - then, 1) : null;

    internal static decimal ArrAtRisk(decimal arr, double score, double? probability) =>
        Math.Round(arr * (decimal)Math.Clamp(probability ?? score / 100, 0, 1), 2);

    private static string ScorerName(ScorerKind kind) => kind == ScorerKind.Model ? "model" : "scorecard";

    private static ScoreView View(string account, AccountScore s) => new(account, StoredInstant.Utc(s.Day), ScorerName(s.Scorer), s.Score,
        RiskBands.Of(s.Band), s.Probability, s.Explanation,
        JsonSerializer.Deserialize<List<ScoreFactor>>(s.Factors, ScoreJob.FactorJson) ?? []);

    private static ScoreView View(string account, DateTime asOf, ScoreResult s) => new(account, asOf, ScorerName(s.Scorer), s.Score,
        RiskBands.Of(s.Band), s.Probability, s.Explanation, s.Factors);

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 && !(value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
            ? value
            : "\"" + (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" : "") + value.Replace("\"", "\"\"") + "\"";
}
