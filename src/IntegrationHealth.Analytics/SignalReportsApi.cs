using IntegrationHealth.Analytics.Migration;
using IntegrationHealth.Analytics.Reliability;
using IntegrationHealth.Analytics.Retention;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHealth.Analytics;

/// <summary>The read-only reports: migration tiers and the inventory CSV, reliability scorecards, the retention summary.</summary>
public static class SignalReportsApi
{
    public static IEndpointRouteBuilder MapSignalReportsApi(this IEndpointRouteBuilder app)
    {
        var migration = app.MapGroup("/v1/migration").WithTags("Migration").RequireAuthorization(ApiPolicies.Read);
        migration.MapGet("/tiers", Tiers).WithName("ListMigrationTiers")
            .WithSummary("Every active account's migration tier (1 automated, 2 guided, 3 white glove) from its ARR band and technical complexity, ARR descending");
        migration.MapGet("/inventory.csv", Inventory).WithName("GetMigrationInventory")
            .WithSummary("The pre-migration inventory as RFC 4180 CSV, one line per connection, ARR descending (formula-like cells are defused)")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");

        app.MapGet("/v1/scorecards", Scorecards).WithTags("Reliability").RequireAuthorization(ApiPolicies.Read).WithName("ListScorecards")
            .WithSummary("Reliability scorecards per provider and overall for the latest periods (weekly or monthly): uptime, time to acknowledge and resolve incidents, first-response SLA, each against its benchmark")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        app.MapGet("/v1/retention-summary", Retention).WithTags("Retention").RequireAuthorization(ApiPolicies.Read).WithName("GetRetentionSummary")
            .WithSummary("Churn of integration users against non-users and by healthy integrations, by segment; NRR proxy; NPS delta of power users; adoption; DAU/MAU; integration tickets")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<AccountTierView>>> Tiers(HttpContext context, MigrationInventory inventory)
    {
        var (tiers, _) = await inventory.BuildAsync(context.User.GetTenantId(), context.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<AccountTierView>>(tiers);
    }

    public static async Task<IResult> Inventory(HttpContext context, MigrationInventory inventory)
    {
        var (_, rows) = await inventory.BuildAsync(context.User.GetTenantId(), context.RequestAborted);
        context.Response.Headers.ContentDisposition = "attachment; filename=\"migration-inventory.csv\"";
        return TypedResults.Text(InventoryCsv.Write(rows), "text/csv; charset=utf-8; header=present");
    }

    public static async Task<Results<Ok<IReadOnlyList<ScorecardView>>, ProblemHttpResult>> Scorecards(HttpContext context, ScorecardReports reports,
        Microsoft.Extensions.Options.IOptions<SignalsOptions> options, string? period = null, int? periods = null)
    {
        var kind = period switch
        {
            null or "weekly" => ScorecardPeriod.Weekly,
            "monthly" => ScorecardPeriod.Monthly,
            _ => (ScorecardPeriod?)null,
        };
        if (kind is null) return Problems.BadRequest("'period' must be weekly or monthly.", field: "period");
        if (periods is < 1 or > 26) return Problems.BadRequest("'periods' must be from 1 to 26.", field: "periods");
        var o = options.Value;
        var views = await reports.BuildAsync(context.User.GetTenantId(), kind.Value, periods ?? 4,
            new ScorecardTargets(o.UptimeTarget, o.AcknowledgeTargetHours, o.ResolveTargetHours, o.FirstResponseTargetHours), context.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<ScorecardView>>(views);
    }

    public static async Task<Results<Ok<RetentionReport>, ProblemHttpResult>> Retention(HttpContext context, RetentionReports reports, int? days = null)
    {
        if (days is < 7 or > 730) return Problems.BadRequest("'days' must be from 7 to 730.", field: "days");
        return TypedResults.Ok(await reports.BuildAsync(context.User.GetTenantId(), days ?? 90, context.RequestAborted));
    }
}
