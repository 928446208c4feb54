using IntegrationHealth.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Store;

/// <summary>
/// Answers a storage fault that escaped an endpoint (PostgreSQL restarting or refusing connections, a broken connection,
/// a full disk, SQLite busy or unable to write) as 503 or 507 with <c>Retry-After</c>, instead of a bare 500 a client
/// cannot tell from a bug, and records it for readiness. Anything else falls through to the next handler.
/// </summary>
public sealed class StoreFaultExceptionHandler(
    StoreWriteHealth health, IOptions<StoreResilienceOptions> options, ILogger<StoreFaultExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var fault = StoreErrors.Classify(exception);
        if (fault == StoreFault.None || httpContext.Response.HasStarted) return false;

        var description = StoreErrors.Describe(exception);
        health.RecordFault(fault, description);
        var retryAfter = options.Value.RetryAfterSeconds;
        var problem = StoreProblems.For(fault, description, retryAfter);
        // Handled exceptions are not logged by the exception-handler middleware (.NET 10): this is the one record.
        WebLog.StoreFaultAnswered(logger, httpContext.Request.Method, httpContext.Request.Path, problem.StatusCode, description, exception);
        await StoreProblems.WriteAsync(httpContext, problem, retryAfter);
        return true;
    }
}
