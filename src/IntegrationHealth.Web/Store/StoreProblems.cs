using IntegrationHealth.Data;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHealth.Web.Store;

/// <summary>
/// The answers to storage faults, in the shape of every other error (<see cref="Problems"/>): 503 when the database is
/// unavailable or not ready yet, 507 when its disk is full, both with <c>Retry-After</c>. Each says the request is safe
/// to repeat, because every write is idempotent (events by id, upserts by external id).
/// </summary>
public static class StoreProblems
{
    /// <summary>What a client should do, the same for every storage fault.</summary>
    public const string RetryAdvice =
        "The request may or may not have been applied; repeating it is safe: events are deduplicated by id and upserts " +
        "match by externalId, so nothing is stored twice.";

    /// <summary>The problem for <paramref name="fault"/> (<see cref="StoreFault.Unavailable"/> or <see cref="StoreFault.DiskFull"/>).</summary>
    public static ProblemHttpResult For(StoreFault fault, string description, int retryAfterSeconds) => fault == StoreFault.DiskFull
        ? InsufficientStorage($"The database's disk is full ({description}). Keep the data and retry after {retryAfterSeconds} s, once space has been freed. {RetryAdvice}")
        : Problems.Unavailable($"The database is unavailable ({description}). Retry after {retryAfterSeconds} s. {RetryAdvice}");

    /// <summary>503 for a request that came before the store was ready.</summary>
    public static ProblemHttpResult NotReady(string status, int retryAfterSeconds) =>
        Problems.Unavailable($"The service is starting: the database is not ready yet ({status}). Retry after {retryAfterSeconds} s.");

    /// <summary>507 Insufficient Storage (RFC 4918).</summary>
    public static ProblemHttpResult InsufficientStorage(string detail) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status507InsufficientStorage,
        Title = "Insufficient storage.",
        Detail = detail,
        Type = "https://www.rfc-editor.org/rfc/rfc4918#section-11.5",
    });

    /// <summary>Writes <paramref name="problem"/> with a <c>Retry-After</c> header.</summary>
    public static Task WriteAsync(HttpContext context, ProblemHttpResult problem, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return problem.ExecuteAsync(context);
    }
}
