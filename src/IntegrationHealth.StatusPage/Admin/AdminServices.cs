using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Public;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.StatusPage.Admin;

/// <summary>What the admin handlers need, taken as <c>[AsParameters]</c>.</summary>
public sealed class AdminServices(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory, IOptions<StatusPageOptions> options, PublicPageCache cache, TimeProvider time)
{
    public IDbContextFactory<IntegrationHealthDbContext> DbFactory { get; } = dbFactory;
    public IOptions<StatusPageOptions> Options { get; } = options;
    public PublicPageCache Cache { get; } = cache;
    public TimeProvider Time { get; } = time;

    public StatusPageOptions Settings => Options.Value;

    public DateTime Now => Time.GetUtcNow().UtcDateTime;
}

/// <summary>The shared steps of every admin handler: the strict body, the caller's page.</summary>
internal static class AdminRequests
{
    /// <summary>The body as a strict JSON object, or the problem to answer (415, 413, 400 for malformed JSON or
    /// unknown properties).</summary>
    public static async Task<(JsonObjectBody? Body, ProblemHttpResult? Problem)> ReadAsync(HttpContext context, AdminServices services,
        IReadOnlyCollection<string> accepted, string what)
    {
        if (BodyFormat.Of(context.Request.ContentType) != BodyFormat.Kind.Json)
            return (null, Problems.UnsupportedMediaType("Send a JSON object with Content-Type 'application/json' (UTF-8)."));
        using var raw = await RequestBody.ReadAsync(context, services.Settings.MaxBodyBytes, context.RequestAborted);
        if (raw is null) return (null, Problems.PayloadTooLarge($"The body exceeds {services.Settings.MaxBodyBytes} bytes (StatusPage:MaxBodyBytes)."));
        var body = JsonObjectBody.Parse(raw.Span, accepted);
        // Unknown or repeated properties are reported together with the fields' own errors, by the handler.
        if (!body.IsObject)
        {
            var problem = Invalid(body, what);
            body.Dispose();
            return (null, problem);
        }
        return (body, null);
    }

    public static ProblemHttpResult Invalid(JsonObjectBody body, string what) =>
        Problems.InvalidBatch(body.Errors, what, $"The {what} is invalid; nothing was changed.");

    public static Task<Data.Entities.StatusPage?> PageAsync(IntegrationHealthDbContext db, HttpContext context) =>
        PageAsync(db, context.User.GetTenantId(), context.RequestAborted);

    public static Task<Data.Entities.StatusPage?> PageAsync(IntegrationHealthDbContext db, int tenantId, CancellationToken cancellationToken) =>
        db.StatusPages.FirstOrDefaultAsync(p => p.TenantId == tenantId, cancellationToken);

    public static ProblemHttpResult NoPage() =>
        Problems.NotFound("The tenant has no status page yet; create it with PUT /v1/status-page.");
}
