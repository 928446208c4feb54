using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;

namespace IntegrationHealth.Engine.Telemetry;

/// <summary>Where the engine reports what it did. Recording never blocks and never throws: telemetry must not be
/// the reason an integration call fails.</summary>
public interface IEngineTelemetry
{
    void Record(TelemetryEvent telemetryEvent);
}

/// <summary>
/// Builds the engine's telemetry events. They carry ids, codes and the endpoint template (<c>contacts
/// /crm/v3/objects/contacts/{id}</c>), never a raw path, query string, header or body, so no secret or personal value
/// can reach the store through them.
/// </summary>
internal sealed class EngineEvents(TimeProvider time)
{
    private const int MaxResource = 200;

    /// <summary>The telemetry resource of an operation: the resource name and the endpoint template.</summary>
    public static string ResourceLabel(string resource, string pathTemplate) => Truncate($"{resource} {pathTemplate}");

    public TelemetryEvent Request(EngineConnection connection, string resourceLabel, HttpMethod method, int? status, int latencyMs,
        ErrorClass errorClass, RateLimitSnapshot rateLimit) => new()
    {
        Id = Guid.CreateVersion7(time.GetUtcNow()),
        OccurredAt = time.GetUtcNow().UtcDateTime,
        TenantId = connection.TenantId,
        AccountId = connection.AccountId,
        ProviderId = connection.ProviderId,
        ConnectionId = connection.ConnectionId,
        Kind = TelemetryKind.Request,
        Outcome = errorClass == ErrorClass.None ? TelemetryOutcome.Success : TelemetryOutcome.Failure,
        ErrorClass = errorClass,
        Method = MethodCode(method),
        HttpStatus = status is >= 100 and <= 599 ? (short)status : null,
        LatencyMs = latencyMs,
        RateLimitRemaining = rateLimit.Remaining,
        RateLimitLimit = rateLimit.Limit,
        Resource = resourceLabel,
    };

    public TelemetryEvent TokenRefresh(EngineConnection connection, int? status, int latencyMs, ErrorClass errorClass) => new()
    {
        Id = Guid.CreateVersion7(time.GetUtcNow()),
        OccurredAt = time.GetUtcNow().UtcDateTime,
        TenantId = connection.TenantId,
        AccountId = connection.AccountId,
        ProviderId = connection.ProviderId,
        ConnectionId = connection.ConnectionId,
        Kind = TelemetryKind.TokenRefresh,
        Outcome = errorClass == ErrorClass.None ? TelemetryOutcome.Success : TelemetryOutcome.Failure,
        ErrorClass = errorClass,
        Method = HttpMethodCode.Post,
        HttpStatus = status is >= 100 and <= 599 ? (short)status : null,
        LatencyMs = latencyMs,
        Resource = "token",
    };

    /// <summary>A record that did not map: the resource and where (the expression or the model's field) it failed.</summary>
    public TelemetryEvent MappingFailure(EngineConnection connection, string resource, string where) => new()
    {
        Id = Guid.CreateVersion7(time.GetUtcNow()),
        OccurredAt = time.GetUtcNow().UtcDateTime,
        TenantId = connection.TenantId,
        AccountId = connection.AccountId,
        ProviderId = connection.ProviderId,
        ConnectionId = connection.ConnectionId,
        Kind = TelemetryKind.MappingFailure,
        Outcome = TelemetryOutcome.Failure,
        ErrorClass = ErrorClass.Mapping,
        Resource = Truncate($"{resource} {where}"),
    };

    /// <summary>A listing the engine had to stop (pagination loop or limit): a failed run with the records read so far.</summary>
    public TelemetryEvent ListingStopped(EngineConnection connection, string resourceLabel, int records, int latencyMs) => new()
    {
        Id = Guid.CreateVersion7(time.GetUtcNow()),
        OccurredAt = time.GetUtcNow().UtcDateTime,
        TenantId = connection.TenantId,
        AccountId = connection.AccountId,
        ProviderId = connection.ProviderId,
        ConnectionId = connection.ConnectionId,
        Kind = TelemetryKind.SyncRun,
        Outcome = TelemetryOutcome.Failure,
        ErrorClass = ErrorClass.Other,
        Records = records,
        LatencyMs = latencyMs,
        Resource = resourceLabel,
    };

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

    private static string Truncate(string value) => value.Length <= MaxResource ? value : value[..MaxResource];
}
