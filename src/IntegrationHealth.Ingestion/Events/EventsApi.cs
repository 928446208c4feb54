using System.Diagnostics;
using System.Text.Unicode;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Ingestion.Providers;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Ingestion.Events;

/// <summary>Services <c>POST /v1/events</c> needs, bundled so the handler signature stays readable.</summary>
public sealed class EventIngestionServices(
    ITelemetryWriter writer,
    EventReferenceResolver resolver,
    IngestionMetrics metrics,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    StoreRetry storeRetry,
    ILogger<EventIngestionServices> logger)
{
    public ITelemetryWriter Writer { get; } = writer;
    public StoreRetry StoreRetry { get; } = storeRetry;
    public EventReferenceResolver Resolver { get; } = resolver;
    public IngestionMetrics Metrics { get; } = metrics;
    public IOptions<IngestionOptions> Options { get; } = options;
    public TimeProvider Time { get; } = time;
    public ILogger<EventIngestionServices> Logger { get; } = logger;
}

/// <summary>Telemetry ingestion: <c>POST /v1/events</c>.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/events").WithTags("Ingestion").RequireAuthorization(ApiPolicies.Ingest);
        api.MapPost("", PostEvents)
            .WithName("PostEvents")
            .WithSummary("Ingest a batch of telemetry events")
            .WithDescription("Body: a JSON array of events, or NDJSON (Content-Type: application/x-ndjson) with one event per line. " +
                "All-or-nothing: any invalid event rejects the whole batch with 400 listing every error by index and field. " +
                "Events whose id is already stored for this tenant are counted as duplicates and skipped, so retries are safe " +
                "(ids are per tenant: another tenant's use of an id does not matter), also of a batch whose outcome is unknown " +
                "(a timeout, a dropped connection, a 503 or 507): repeat it unchanged and each event is stored once. " +
                "503 (with Retry-After): the database is unavailable or the service is starting; 507 (with Retry-After): the database's disk is full. " +
                "Ids are client-chosen UUIDs; time-ordered UUIDv7 ids (RFC 9562) are recommended: they keep the id index append-only " +
                "and ingest markedly faster than random ones.")
            .Accepts<EventInput[]>("application/json", "application/x-ndjson")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);
        return app;
    }

    public static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> PostEvents(
        HttpContext context, [AsParameters] EventIngestionServices services)
    {
        var options = services.Options.Value;
        var tenantId = context.User.GetTenantId();
        var cancellationToken = context.RequestAborted;

        var format = BodyFormat.Of(context.Request.ContentType);
        if (format is BodyFormat.Kind.Unsupported)
            return Problems.UnsupportedMediaType("Send events as 'application/json' (an array) or 'application/x-ndjson' (one per line), UTF-8.");

        var started = Stopwatch.GetTimestamp();
        using var body = await RequestBody.ReadAsync(context, options.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            services.Metrics.Rejected(0);
            IngestionLog.BatchTooLarge(services.Logger, tenantId, "events");
            return Problems.PayloadTooLarge($"The body exceeds {options.MaxBodyBytes} bytes (Ingestion:MaxBodyBytes).");
        }

        var errors = new BatchErrors(options.MaxReportedErrors);
        var utf8 = BodyFormat.WithoutBom(body.Span);
        if (!Utf8.IsValid(utf8))
        {
            errors.Add(-1, "$", "The body is not valid UTF-8.");
            services.Metrics.Rejected(0);
            return Problems.InvalidBatch(errors, "event");
        }

        var now = services.Time.GetUtcNow().UtcDateTime;
        var rules = new EventRules(options.MaxBatchEvents, WireInstants.EarliestAccepted, now + options.MaxFutureSkew);
        var batch = format == BodyFormat.Kind.Json
            ? EventBatchParser.ParseArray(utf8, rules, errors)
            : EventBatchParser.ParseNdjson(utf8, rules, errors);
        if (batch.TooManyEvents)
        {
            services.Metrics.Rejected(batch.Count);
            IngestionLog.BatchTooLarge(services.Logger, tenantId, "events");
            return Problems.PayloadTooLarge($"A batch may hold at most {options.MaxBatchEvents} events (Ingestion:MaxBatchEvents).");
        }

        // Resolve even when some events failed to parse, so the answer lists unknown accounts etc. as well.
        await services.Resolver.ResolveAsync(tenantId, batch, errors, cancellationToken);
        if (errors.Any)
        {
            services.Metrics.Rejected(batch.Count);
            IngestionLog.BatchRejected(services.Logger, tenantId, batch.Count, "events", errors.Count);
            return Problems.InvalidBatch(errors, "event");
        }

        // Retried on transient PostgreSQL failures: safe even when a failed attempt did commit, because events are
        // deduplicated by id (its events then count as duplicates of this answer).
        var written = batch.Events.Count == 0
            ? new TelemetryWriteResult(0, 0)
            : await services.StoreRetry.ExecuteAsync(ct => services.Writer.WriteAsync(batch.Events, ct), cancellationToken);
        services.Metrics.Stored(batch.Count, written.Accepted, written.Duplicates);
        IngestionLog.EventsIngested(services.Logger, tenantId, written.Accepted, written.Duplicates,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return TypedResults.Ok(new IngestResult(written.Accepted, written.Duplicates));
    }
}
