using System.Buffers;
using System.Globalization;
using System.Text.Json;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Demo.Simulation;

/// <summary>Writes demo entities and events in the HTTP API's wire format (JSON, camelCase; see the API's
/// <c>POST /v1/events</c>, <c>/v1/accounts</c>, <c>/v1/connections</c>).</summary>
public static class WireFormat
{
    /// <summary>Wire name of a telemetry kind.</summary>
    public static string Kind(TelemetryKind kind) => kind switch
    {
        TelemetryKind.Request => "request",
        TelemetryKind.TokenRefresh => "token_refresh",
        TelemetryKind.SyncRun => "sync_run",
        TelemetryKind.WebhookDelivery => "webhook_delivery",
        TelemetryKind.MappingFailure => "mapping_failure",
        TelemetryKind.Usage => "usage",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Wire name of an error class.</summary>
    public static string Error(ErrorClass error) => error switch
    {
        ErrorClass.None => "none",
        ErrorClass.Timeout => "timeout",
        ErrorClass.Client4xx => "4xx",
        ErrorClass.Server5xx => "5xx",
        ErrorClass.InvalidGrant => "invalid_grant",
        ErrorClass.RateLimited => "rate_limited",
        ErrorClass.Network => "network",
        ErrorClass.Mapping => "mapping",
        ErrorClass.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };

    /// <summary>Wire name of an HTTP method, or null for none.</summary>
    public static string? Method(HttpMethodCode method) => method switch
    {
        HttpMethodCode.None => null,
        HttpMethodCode.Get => "GET",
        HttpMethodCode.Post => "POST",
        HttpMethodCode.Put => "PUT",
        HttpMethodCode.Patch => "PATCH",
        HttpMethodCode.Delete => "DELETE",
        HttpMethodCode.Head => "HEAD",
        HttpMethodCode.Options => "OPTIONS",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>Wire name of a segment.</summary>
    public static string Segment(AccountSegment segment) => segment switch
    {
        AccountSegment.Smb => "smb",
        AccountSegment.MidMarket => "mid_market",
        AccountSegment.Enterprise => "enterprise",
        _ => throw new ArgumentOutOfRangeException(nameof(segment), segment, null),
    };

    /// <summary>Wire name of a connection status.</summary>
    public static string Status(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Active => "active",
        ConnectionStatus.NeedsReauth => "needs_reauth",
        ConnectionStatus.Disabled => "disabled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Wire name of an auth kind.</summary>
    public static string Auth(AuthKind kind) => kind switch
    {
        AuthKind.OAuth2 => "oauth2",
        AuthKind.ApiKey => "api_key",
        AuthKind.Basic => "basic",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Writes a JSON array of events. <paramref name="accountIds"/> and <paramref name="connectionIds"/> give
    /// the external ids by world index.</summary>
    public static void WriteEvents(IBufferWriter<byte> output, IReadOnlyList<DemoEvent> events, IReadOnlyList<string> accountIds,
        IReadOnlyList<string> connectionIds)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        json.WriteStartArray();
        foreach (var e in events)
        {
            WriteEvent(json, e, accountIds, connectionIds);
        }
        json.WriteEndArray();
    }

    /// <summary>Writes one event object.</summary>
    public static void WriteEvent(Utf8JsonWriter json, in DemoEvent e, IReadOnlyList<string> accountIds, IReadOnlyList<string> connectionIds)
    {
        json.WriteStartObject();
        json.WriteString("id", e.Id);
        json.WriteString("kind", Kind(e.Kind));
        json.WriteString("occurredAt", e.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("account", accountIds[e.AccountIndex]);
        json.WriteString("provider", DemoCatalog.Providers[e.ProviderIndex].Key);
        if (e.ConnectionIndex >= 0)
        {
            json.WriteString("connection", connectionIds[e.ConnectionIndex]);
        }
        if (e.Resource is not null)
        {
            json.WriteString("resource", e.Resource);
        }
        if (Method(e.Method) is { } method)
        {
            json.WriteString("method", method);
        }
        if (e.HttpStatus is { } status)
        {
            json.WriteNumber("status", status);
        }
        if (e.LatencyMs is { } latency)
        {
            json.WriteNumber("latencyMs", latency);
        }
        json.WriteString("outcome", e.Outcome == TelemetryOutcome.Success ? "success" : "failure");
        json.WriteString("errorClass", Error(e.ErrorClass));
        if (e.Records is { } records)
        {
            json.WriteNumber("records", records);
        }
        if (e.RateLimitRemaining is { } remaining)
        {
            json.WriteNumber("rateLimitRemaining", remaining);
        }
        if (e.RateLimitLimit is { } limit)
        {
            json.WriteNumber("rateLimitLimit", limit);
        }
        if (e.UserId is not null)
        {
            json.WriteString("userId", e.UserId);
        }
        json.WriteEndObject();
    }

    /// <summary>Writes the <c>POST /v1/accounts</c> body for accounts, with external ids mapped by <paramref name="externalId"/>.</summary>
    public static void WriteAccounts(IBufferWriter<byte> output, IEnumerable<DemoAccount> accounts, Func<DemoAccount, string> externalId)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        foreach (var a in accounts)
        {
            json.WriteStartObject();
            json.WriteString("externalId", externalId(a));
            json.WriteString("name", a.Name);
            json.WriteNumber("arr", a.Arr);
            json.WriteString("segment", Segment(a.Segment));
            json.WriteString("plan", a.Plan);
            json.WriteNumber("seats", a.Seats);
            if (a.Csm is not null)
            {
                json.WriteString("csm", a.Csm);
            }
            json.WriteString("createdAt", a.CreatedAt);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Writes the <c>POST /v1/connections</c> body.</summary>
    public static void WriteConnections(IBufferWriter<byte> output, IEnumerable<DemoConnection> connections,
        Func<DemoConnection, string> externalId, Func<DemoConnection, string> accountExternalId)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        foreach (var c in connections)
        {
            json.WriteStartObject();
            json.WriteString("externalId", externalId(c));
            json.WriteString("account", accountExternalId(c));
            json.WriteString("provider", c.Provider.Key);
            json.WriteString("status", Status(c.FinalStatus));
            json.WriteString("authKind", Auth(c.AuthKind));
            if (c.Scopes is not null)
            {
                json.WriteString("scopes", c.Scopes);
            }
            if (c.InstanceUrl is not null)
            {
                json.WriteString("instanceUrl", c.InstanceUrl);
            }
            if (c.ApiVersion is not null)
            {
                json.WriteString("apiVersion", c.ApiVersion);
            }
            if (c.LastSyncAt is { } lastSync)
            {
                json.WriteString("lastSyncAt", lastSync);
            }
            if (c.SyncCursor is not null)
            {
                json.WriteString("syncCursor", c.SyncCursor);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
