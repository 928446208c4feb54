using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;

namespace IntegrationHealth.Engine.Telemetry;

/// <summary>Where the engine reports what it did. Recording never blocks and never throws: telemetry must not be
/// the reason an integration call fails.</summary>
public interface IEngineTelemetry
{
    /// <summary>Queues an event; <paramref name="endpointTemplate"/> (the operation's path template) is interned and
    /// set as the event's <see cref="TelemetryEvent.EndpointId"/> when the batch is written.</summary>
    void Record(TelemetryEvent telemetryEvent, string? endpointTemplate = null);
}

/// <summary>
/// Builds the engine's telemetry events: the resource by name, the endpoint by its template (interned, never the raw
/// path or query), codes and counts, and for failures a detail row (message, field, record id). No header value,
/// credential or body goes into them.
/// </summary>
internal sealed class EngineEvents(TimeProvider time)
{
    private const int MaxText = 200;
    private const int MaxMessage = 1000;

    public TelemetryEvent Request(EngineConnection connection, string resource, HttpMethod method, int? status, int latencyMs,
        ErrorClass errorClass, RateLimitSnapshot rateLimit)
    {
        var e = New(connection, TelemetryKind.Request, errorClass, resource);
        e.Method = MethodCode(method);
        e.HttpStatus = status is >= 100 and <= 599 ? (short)status : null;
        e.LatencyMs = latencyMs;
        e.RateLimitRemaining = rateLimit.Remaining;
        e.RateLimitLimit = rateLimit.Limit;
        return e;
    }

    /// <summary>A token request; a failure carries the OAuth error code (<c>invalid_grant</c>), never the response.</summary>
    public TelemetryEvent TokenRefresh(EngineConnection connection, int? status, int latencyMs, ErrorClass errorClass, string? error = null)
    {
        var e = New(connection, TelemetryKind.TokenRefresh, errorClass, "token");
        e.Method = HttpMethodCode.Post;
        e.HttpStatus = status is >= 100 and <= 599 ? (short)status : null;
        e.LatencyMs = latencyMs;
        if (error is not null) e.Detail = new TelemetryEventDetail { ErrorMessage = Truncate(error, MaxText) };
        return e;
    }

    /// <summary>A record that did not map: where (the expression or the model's field), why, and the record's remote id.</summary>
    public TelemetryEvent MappingFailure(EngineConnection connection, string resource, MappingFailure failure)
    {
        var e = New(connection, TelemetryKind.MappingFailure, ErrorClass.Mapping, resource);
        e.Detail = new TelemetryEventDetail
        {
            ErrorMessage = Truncate(failure.Message, MaxMessage),
            Field = Truncate(failure.Where, MaxText),
            RecordId = failure.RemoteId is { } id ? Truncate(id, MaxText) : null,
        };
        return e;
    }

    /// <summary>A listing the engine had to stop (pagination loop or limit): a failed run with the records read so far.</summary>
    public TelemetryEvent ListingStopped(EngineConnection connection, string resource, int records, int latencyMs, string reason)
    {
        var e = New(connection, TelemetryKind.SyncRun, ErrorClass.Other, resource);
        e.Records = records;
        e.LatencyMs = latencyMs;
        e.Detail = new TelemetryEventDetail { ErrorMessage = Truncate(reason, MaxMessage) };
        return e;
    }

    /// <summary>A sync run: records read, duration, outcome and error class; the detail says what changed and the lag.</summary>
    public TelemetryEvent SyncRun(EngineConnection connection, string resource, int records, int durationMs, ErrorClass errorClass, string summary)
    {
        var e = New(connection, TelemetryKind.SyncRun, errorClass, resource);
        e.Records = records;
        e.LatencyMs = durationMs;
        e.Detail = new TelemetryEventDetail { ErrorMessage = Truncate(summary, MaxMessage) };
        return e;
    }

    private TelemetryEvent New(EngineConnection connection, TelemetryKind kind, ErrorClass errorClass, string resource)
    {
        var now = time.GetUtcNow();
        return new TelemetryEvent
        {
            Id = Guid.CreateVersion7(now),
            OccurredAt = now.UtcDateTime,
            TenantId = connection.TenantId,
            AccountId = connection.AccountId,
            ProviderId = connection.ProviderId,
            ConnectionId = connection.ConnectionId,
            Kind = kind,
            Outcome = errorClass == ErrorClass.None ? TelemetryOutcome.Success : TelemetryOutcome.Failure,
            ErrorClass = errorClass,
            Resource = Truncate(resource, MaxText),
        };
    }

    private static HttpMethodCode MethodCode(HttpMethod method) => method.Method switch
    {
        "GET" => HttpMethodCode.Get,
        "POST" => HttpMethodCode.Post,
        "PUT" => HttpMethodCode.Put,
        "PATCH" => HttpMethodCode.Patch,
        "DELETE" => HttpMethodCode.Delete,
        "HEAD" => HttpMethodCode.Head,
        "OPTIONS" => HttpMethodCode.Options,
        _ => HttpMethodCode.None,
    };

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
