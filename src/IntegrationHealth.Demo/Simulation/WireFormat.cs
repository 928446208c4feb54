using System.Buffers;
using System.Globalization;
using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Demo.Simulation;

/// <summary>Writes demo entities and events in the HTTP API's wire format (JSON, camelCase; see the API's
/// <c>POST /v1/events</c>, <c>/v1/accounts</c>, <c>/v1/connections</c>). Enumerated values are spelled by
/// <see cref="WireNames"/>, the one definition the API parses them with.</summary>
public static class WireFormat
{
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
        json.WriteString("kind", WireNames.Of(e.Kind));
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
        if (WireNames.Of(e.Method) is { } method)
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
        json.WriteString("outcome", WireNames.Of(e.Outcome));
        json.WriteString("errorClass", WireNames.Of(e.ErrorClass));
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
            json.WriteString("segment", WireNames.Of(a.Segment));
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
            json.WriteString("status", WireNames.Of(c.FinalStatus));
            json.WriteString("authKind", WireNames.Of(c.AuthKind));
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
