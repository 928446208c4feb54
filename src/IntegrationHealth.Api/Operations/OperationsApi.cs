using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Operations;

/// <summary>Liveness and readiness probes (anonymous; they reveal nothing but up/down).</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Operations").AllowAnonymous();

        api.MapGet("/healthz", Healthz)
            .WithName("Healthz")
            .WithSummary("Liveness: the process is up (does not touch the database)");

        api.MapGet("/readyz", ReadyzAsync)
            .WithName("Readyz")
            .WithSummary("Readiness: the database answers; 503 problem otherwise")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    public static Ok<HealthStatus> Healthz() => TypedResults.Ok(new HealthStatus("ok"));

    public static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> ReadyzAsync(
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(timeout.Token);
            // A real round trip through the schema, not just "a socket opened": a fresh, unmigrated database is not ready.
            _ = await db.Tenants.AsNoTracking().Select(t => t.Id).FirstOrDefaultAsync(timeout.Token);
            return TypedResults.Ok(new HealthStatus("ready"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogMessages.NotReady(loggerFactory.CreateLogger("IntegrationHealth.Api.Readiness"), ex);
            return Problems.Unavailable("The database is not reachable.");
        }
    }
}
