using IntegrationHealth.Data;
using IntegrationHealth.Data.Configuration;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Analytics.Surveys;

/// <summary>A survey rule on the wire.</summary>
public sealed record SurveyRuleView(int Id, string Survey, string Event, string DisplayOption, int? DisplayLimit, int? RecontactDays,
    double Percentage, int DelaySeconds, bool Enabled);

/// <summary>Survey rules (admin), the poll for due survey triggers, and the product's display and response reports.</summary>
public static class SurveyTriggersApi
{
    private static readonly string[] DisplayOptions = ["display_once", "display_multiple", "display_fixed", "respond_multiple"];
    private static readonly string[] RuleFields = ["survey", "event", "displayOption", "displayLimit", "recontactDays", "percentage", "delaySeconds", "enabled"];
    private static readonly string[] ResponseFields = ["score", "comment"];

    public static IEndpointRouteBuilder MapSurveyTriggersApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/v1/survey-rules").WithTags("Survey triggers");
        rules.MapPost("", CreateRule).RequireAuthorization(ApiPolicies.Admin).WithName("CreateSurveyRule")
            .WithSummary("Add a rule: on an integration event, ask the account's users a survey, throttled with display options, recontact wait, sampling and delay")
            .Accepts<SurveyRuleRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        rules.MapGet("", ListRules).RequireAuthorization(ApiPolicies.Read).WithName("ListSurveyRules").WithSummary("The tenant's survey rules");
        rules.MapDelete("/{id:int}", DeleteRule).RequireAuthorization(ApiPolicies.Admin).WithName("DeleteSurveyRule")
            .WithSummary("Delete a rule and its triggers").ProducesProblem(StatusCodes.Status404NotFound);

        var triggers = app.MapGroup("/v1/survey-triggers").WithTags("Survey triggers");
        triggers.MapGet("", Poll).RequireAuthorization(ApiPolicies.Read).WithName("PollSurveyTriggers")
            .WithSummary("The surveys to show a user of an account now (pending, past their delay, not held back by an open problem or the recontact wait)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        triggers.MapPost("/{id:int}/display", Display).RequireAuthorization(ApiPolicies.Ingest).WithName("ReportSurveyDisplay")
            .WithSummary("Report that the survey was shown (counts against its display option and starts the recontact wait)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        triggers.MapPost("/{id:int}/response", Respond).RequireAuthorization(ApiPolicies.Ingest).WithName("ReportSurveyResponse")
            .WithSummary("Send the user's answer (score 0–10, optional comment); stored as a survey response, which the scores read")
            .Accepts<SurveyAnswerRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    /// <summary>The body of <c>POST /v1/survey-rules</c> (documentation).</summary>
    public sealed record SurveyRuleRequest(string Survey, string Event, string? DisplayOption = null, int? DisplayLimit = null,
        int? RecontactDays = null, double? Percentage = null, int? DelaySeconds = null, bool? Enabled = null);

    /// <summary>The body of <c>POST /v1/survey-triggers/{id}/response</c> (documentation).</summary>
    public sealed record SurveyAnswerRequest(int Score, string? Comment = null);

    private static SurveyRuleView View(SurveyRule r) => new(r.Id, r.SurveyKey, SurveyTriggerView.Events[(int)r.Event], DisplayOptions[(int)r.DisplayOption],
        r.DisplayLimit, r.RecontactDays, r.Percentage, r.DelaySeconds, r.Enabled);

    public static async Task<Results<Created<SurveyRuleView>, ProblemHttpResult>> CreateRule(HttpContext context,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time)
    {
        var (body, problem) = await JsonObjectBody.ReadAsync(context, 16 * 1024, RuleFields, "survey rule");
        if (problem is not null) return problem;
        using var request = body!;
        var survey = request.String("survey", StoreLengths.Key, required: true, identifier: true);
        var eventName = request.String("event", 40, required: true);
        var eventIndex = eventName is null ? -1 : Array.IndexOf(SurveyTriggerView.Events, eventName);
        if (eventName is not null && eventIndex < 0) request.Errors.Add(-1, "event", $"'event' must be one of {string.Join(", ", SurveyTriggerView.Events)}.");
        var optionName = request.String("displayOption", 40) ?? "display_once";
        var optionIndex = Array.IndexOf(DisplayOptions, optionName);
        if (optionIndex < 0) request.Errors.Add(-1, "displayOption", $"'displayOption' must be one of {string.Join(", ", DisplayOptions)}.");
        var limit = request.Integer("displayLimit", 1, 1000);
        if (optionIndex == (int)SurveyDisplayOption.DisplayFixed && limit is null && !request.Errors.Reported.Any(e => e.Field == "displayLimit"))
            request.Errors.Add(-1, "displayLimit", "'displayLimit' is required with display_fixed.");
        var recontact = request.Integer("recontactDays", 0, 365);
        var percentage = request.Number("percentage", 0, 100) ?? 100;
        var delay = request.Integer("delaySeconds", 0, 30 * 86400) ?? 0;
        var enabled = request.Boolean("enabled") ?? true;
        if (request.Errors.Any) return request.Invalid("survey rule");

        var rule = new SurveyRule
        {
            TenantId = context.User.GetTenantId(), SurveyKey = survey!, Event = (SurveyTriggerEvent)eventIndex, DisplayOption = (SurveyDisplayOption)optionIndex,
            DisplayLimit = (int?)limit, RecontactDays = (int?)recontact, Percentage = percentage, DelaySeconds = (int)delay, Enabled = enabled,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.SurveyRules.AnyAsync(r => r.TenantId == rule.TenantId && r.SurveyKey == rule.SurveyKey && r.Event == rule.Event, context.RequestAborted))
            return Problems.Conflict($"Survey '{rule.SurveyKey}' already has a rule for {eventName}.");
        db.SurveyRules.Add(rule);
        await db.SaveChangesAsync(context.RequestAborted);
        return TypedResults.Created($"/v1/survey-rules/{rule.Id}", View(rule));
    }

    public static async Task<Ok<IReadOnlyList<SurveyRuleView>>> ListRules(HttpContext context, IDbContextFactory<IntegrationHealthDbContext> dbFactory)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var rules = await db.SurveyRules.AsNoTracking().Where(r => r.TenantId == tenantId).OrderBy(r => r.Id).ToListAsync(context.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<SurveyRuleView>>([.. rules.Select(View)]);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(HttpContext context, int id, IDbContextFactory<IntegrationHealthDbContext> dbFactory)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var rule = await db.SurveyRules.SingleOrDefaultAsync(r => r.Id == id && r.TenantId == tenantId, context.RequestAborted);
        if (rule is null) return Problems.NotFound($"No survey rule {id}.");
        db.SurveyRules.Remove(rule);
        await db.SaveChangesAsync(context.RequestAborted);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<IReadOnlyList<SurveyTriggerView>>, ProblemHttpResult>> Poll(HttpContext context,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, IOptions<SignalsOptions> options, TimeProvider time, string? account = null, string? user = null)
    {
        if (string.IsNullOrEmpty(account)) return Problems.BadRequest("'account' (the account's external id) is required.", field: "account");
        if (string.IsNullOrEmpty(user)) return Problems.BadRequest("'user' (the user's id) is required.", field: "user");
        if (account.Length > StoreLengths.Key || TextRules.IdentifierProblem("account", account) is not null)
            return Problems.BadRequest("'account' is not a valid external id.", field: "account");
        if (user.Length > StoreLengths.TelemetryText || TextRules.IdentifierProblem("user", user) is not null)
            return Problems.BadRequest("'user' is not a valid user id.", field: "user");
        var tenantId = context.User.GetTenantId();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var accountRow = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.TenantId == tenantId && a.ExternalId == account, context.RequestAborted);
        if (accountRow is null) return Problems.NotFound($"No account '{account}'.");
        var providers = await db.Connections.Where(c => c.AccountId == accountRow.Id).Select(c => c.ProviderId).ToListAsync(context.RequestAborted);
        var blocked = await db.Alerts.AnyAsync(a => a.TenantId == tenantId && a.State != AlertState.Resolved
            && (a.AccountId == accountRow.Id || (a.AccountId == null && a.ProviderId != null && providers.Contains(a.ProviderId.Value))), context.RequestAborted)
            || await db.ConnectionIssues.AnyAsync(i => i.TenantId == tenantId && i.AccountId == accountRow.Id && i.Status == IssueStatus.Open && i.MutedAt == null,
                context.RequestAborted);
        if (blocked) return TypedResults.Ok<IReadOnlyList<SurveyTriggerView>>([]);
        var rows = await (from t in db.SurveyTriggers.AsNoTracking()
                          join r in db.SurveyRules on t.RuleId equals r.Id
                          where t.TenantId == tenantId && t.AccountId == accountRow.Id && t.UserId == user
                          select new { t, r }).ToListAsync(context.RequestAborted);
        var lastDisplay = rows.Max(x => x.t.DisplayedAt);
        var due = rows.Where(x => x.t.State == SurveyTriggerState.Pending && x.t.ShowAfter <= now)
            .Where(x =>
            {
                var wait = x.r.RecontactDays ?? options.Value.SurveyRecontactDays;
                return lastDisplay is not { } last || wait == 0 || now - last >= TimeSpan.FromDays(wait);
            })
            .OrderBy(x => x.t.ShowAfter).ThenBy(x => x.t.Id)
            .Select(x => new SurveyTriggerView(x.t.Id, x.r.SurveyKey, account, user, SurveyTriggerView.Events[(int)x.r.Event], x.t.Reason,
                StoredInstant.Utc(x.t.OccurredAt), StoredInstant.Utc(x.t.ShowAfter), SurveyTriggerView.States[(int)x.t.State]))
            .ToList();
        return TypedResults.Ok<IReadOnlyList<SurveyTriggerView>>(due);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Display(HttpContext context, int id, IDbContextFactory<IntegrationHealthDbContext> dbFactory,
        TimeProvider time)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var trigger = await db.SurveyTriggers.SingleOrDefaultAsync(t => t.Id == id && t.TenantId == tenantId, context.RequestAborted);
        if (trigger is null) return Problems.NotFound($"No survey trigger {id}.");
        if (trigger.State == SurveyTriggerState.Pending)
        {
            trigger.State = SurveyTriggerState.Displayed;
            trigger.DisplayedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(context.RequestAborted);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Respond(HttpContext context, int id, IDbContextFactory<IntegrationHealthDbContext> dbFactory,
        TimeProvider time, ILoggerFactory loggers)
    {
        var (body, problem) = await JsonObjectBody.ReadAsync(context, 16 * 1024, ResponseFields, "survey response");
        if (problem is not null) return problem;
        using var request = body!;
        var score = request.Integer("score", 0, 10, required: true);
        var comment = request.String("comment", StoreLengths.Text);
        if (request.Errors.Any) return request.Invalid("survey response");

        var tenantId = context.User.GetTenantId();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var trigger = await db.SurveyTriggers.SingleOrDefaultAsync(t => t.Id == id && t.TenantId == tenantId, context.RequestAborted);
        if (trigger is null) return Problems.NotFound($"No survey trigger {id}.");
        if (trigger.State == SurveyTriggerState.Answered) return Problems.Conflict($"Survey trigger {id} is answered already.");
        await using var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted);
        var response = new SurveyResponse
        {
            TenantId = tenantId, AccountId = trigger.AccountId, ExternalId = $"survey-trigger-{trigger.Id}", UserId = trigger.UserId,
            Score = (int)score!.Value, Comment = comment, RespondedAt = now,
        };
        db.SurveyResponses.Add(response);
        await db.SaveChangesAsync(context.RequestAborted);
        trigger.State = SurveyTriggerState.Answered;
        trigger.AnsweredAt = now;
        trigger.DisplayedAt ??= now;
        trigger.SurveyResponseId = response.Id;
        await db.SaveChangesAsync(context.RequestAborted);
        await transaction.CommitAsync(context.RequestAborted);
        AnalyticsLog.SurveyTriggerAnswered(loggers.CreateLogger(typeof(SurveyTriggersApi)), id, tenantId);
        return TypedResults.NoContent();
    }
}
