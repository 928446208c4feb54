using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationHealth.Web.Health;

/// <summary>Answer of <c>/healthz</c> and <c>/readyz</c>.</summary>
public sealed record ProbeStatus(string Status);

/// <summary>
/// Liveness and readiness probes (anonymous; they reveal nothing but up/down and the names of failing checks).
/// Readiness runs every ASP.NET Core health check tagged <see cref="ReadyTag"/>: the store's (EF Core) check from the
/// shared plumbing, and whatever checks features add with <c>services.AddHealthChecks().AddCheck(…, tags: [ReadyTag])</c>.
/// They are served by minimal-API handlers over <see cref="HealthCheckService"/> rather than <c>MapHealthChecks</c> so
/// that they answer in the API's formats (JSON, RFC 9457 problems) and appear in the OpenAPI document as they behave.
/// </summary>
public static class HealthApi
{
    /// <summary>Tag of the checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>How long readiness waits for its checks; a probe that hangs is as bad as one that fails.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        // Served while the store is not ready yet: that is when they matter most.
        var api = app.MapGroup("").WithTags("Operations").AllowAnonymous().StoreIndependent();

        api.MapGet("/healthz", Healthz)
            .WithName("Healthz")
            .WithSummary("Liveness: the process is up (does not touch the database)");

        api.MapGet("/readyz", ReadyzAsync)
            .WithName("Readyz")
            .WithSummary("Readiness: every readiness check passes (the database is ready, answers through the migrated schema and takes writes); 503 problem naming the failing checks and why otherwise")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    public static Ok<ProbeStatus> Healthz() => TypedResults.Ok(new ProbeStatus("ok"));

    public static async Task<Results<Ok<ProbeStatus>, ProblemHttpResult>> ReadyzAsync(
        HealthCheckService health, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        HealthReport report;
        try
        {
            report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Problems.Unavailable($"The readiness checks did not answer within {ReadyTimeout.TotalSeconds:0} s.");
        }
        if (report.Status != HealthStatus.Unhealthy) return TypedResults.Ok(new ProbeStatus("ready"));

        var logger = loggerFactory.CreateLogger(typeof(HealthApi));
        var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).ToList();
        foreach (var (name, entry) in failing) WebLog.NotReady(logger, name, entry.Status.ToString(), entry.Exception);
        // Names and our own descriptions only: exception messages can carry hosts and user names.
        return Problems.Unavailable("Not ready: " + string.Join("; ", failing.Select(e => $"{e.Key} ({e.Value.Description ?? "failed"})")) + ".");
    }
}
