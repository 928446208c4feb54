using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Configuration;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Http;

namespace IntegrationHealth.Ingestion.Events;

public static partial class EventBatchParser
{
    /// <summary>Longest external id, resource or user id accepted, in UTF-16 code units.</summary>
    public const int MaxTextLength = 200;
    public const int MaxLatencyMs = 3_600_000;

    /// <summary>Longest <c>endpoint</c> (a route template), in UTF-16 code units.</summary>
    public const int MaxEndpointLength = StoreLengths.EndpointTemplate;

    /// <summary>Longest <c>errorMessage</c>, in UTF-16 code units (<c>field</c> and <c>recordId</c>: <see cref="MaxTextLength"/>).</summary>
    public const int MaxErrorMessageLength = StoreLengths.ErrorMessage;

    private enum Field : byte
    {
        Unknown, Id, Kind, OccurredAt, Account, Provider, Connection, Resource, Method, Status, LatencyMs, Outcome,
        ErrorClass, Records, RateLimitRemaining, RateLimitLimit, UserId, Endpoint, ErrorMessage, FailedField, RecordId,
    }

    /// <summary>Wire names indexed by <see cref="Field"/>; also the exact set of accepted properties.</summary>
    public static readonly string[] FieldNames =
    [
        "", "id", "kind", "occurredAt", "account", "provider", "connection", "resource", "method", "status", "latencyMs",
        "outcome", "errorClass", "records", "rateLimitRemaining", "rateLimitLimit", "userId", "endpoint", "errorMessage",
        "field", "recordId",
    ];

    private static Field MatchField(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => Field.Id,
        4 when name.SequenceEqual("kind"u8) => Field.Kind,
        5 when name.SequenceEqual("field"u8) => Field.FailedField,
        6 when name.SequenceEqual("method"u8) => Field.Method,
        6 when name.SequenceEqual("status"u8) => Field.Status,
        6 when name.SequenceEqual("userId"u8) => Field.UserId,
        7 when name.SequenceEqual("account"u8) => Field.Account,
        7 when name.SequenceEqual("outcome"u8) => Field.Outcome,
        7 when name.SequenceEqual("records"u8) => Field.Records,
        8 when name.SequenceEqual("provider"u8) => Field.Provider,
        8 when name.SequenceEqual("resource"u8) => Field.Resource,
        8 when name.SequenceEqual("endpoint"u8) => Field.Endpoint,
        8 when name.SequenceEqual("recordId"u8) => Field.RecordId,
        9 when name.SequenceEqual("latencyMs"u8) => Field.LatencyMs,
        10 when name.SequenceEqual("occurredAt"u8) => Field.OccurredAt,
        10 when name.SequenceEqual("connection"u8) => Field.Connection,
        10 when name.SequenceEqual("errorClass"u8) => Field.ErrorClass,
        12 when name.SequenceEqual("errorMessage"u8) => Field.ErrorMessage,
        14 when name.SequenceEqual("rateLimitLimit"u8) => Field.RateLimitLimit,
        18 when name.SequenceEqual("rateLimitRemaining"u8) => Field.RateLimitRemaining,
        _ => Field.Unknown,
    };

    /// <summary>Parses one event; the reader is on its first token and is left on its last.</summary>
    private static void ParseEvent(ref Utf8JsonReader reader, int index, EventRules rules, BatchErrors errors, ParsedBatch batch, byte[] scratch)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(index, "$", $"Each event must be a JSON object, not {Describe(reader.TokenType)}.");
            reader.Skip();
            return;
        }

        var errorsBefore = errors.Count;
        var ev = new TelemetryEvent();
        string? account = null, provider = null, connection = null, endpoint = null;
        string? errorMessage = null, failedField = null, recordId = null;
        bool hasId = false, hasKind = false, hasOccurredAt = false, hasOutcome = false, hasErrorClass = false;
        int? remaining = null, limit = null;
        uint seen = 0u, nulls = 0u;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Unescaped(ref reader, scratch, out var nameBytes) ? MatchField(nameBytes) : Field.Unknown;
            string? unknownName = field == Field.Unknown ? UnknownName(ref reader) : null;
            reader.Read();

            if (field == Field.Unknown)
            {
                errors.Add(index, unknownName ?? "", $"Unknown property '{unknownName}'. Accepted: {string.Join(", ", FieldNames.Skip(1))}.");
                reader.Skip();
                continue;
            }
            var name = FieldNames[(int)field];
            var bit = 1u << (int)field;
            if ((seen & bit) != 0)
            {
                errors.Add(index, name, $"Property '{name}' appears more than once.");
                reader.Skip();
                continue;
            }
            seen |= bit;

            if (reader.TokenType == JsonTokenType.Null)
            {
                nulls |= bit; // null means "absent"; required fields are checked below
                continue;
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                errors.Add(index, name, $"'{name}' must be a {(IsNumeric(field) ? "number" : "string")}, not {Describe(reader.TokenType)}.");
                reader.Skip();
                continue;
            }
            if (IsUndecodable(ref reader, index, name, errors)) continue;

            switch (field)
            {
                case Field.Id:
                    if (reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var id)) { ev.Id = id; hasId = true; }
                    else errors.Add(index, name, "'id' must be a UUID string such as \"3f2c1a9e-8d4b-4c55-9a51-0b1e2f3a4b5c\".");
                    break;
                case Field.Kind:
                    if (MatchEnum(ref reader, scratch, KindValues) is { } kind) { ev.Kind = (TelemetryKind)kind; hasKind = true; }
                    else errors.Add(index, name, $"'kind' must be one of {WireNames.Describe(WireNames.Kinds)}.");
                    break;
                case Field.OccurredAt:
                    hasOccurredAt = ReadInstant(ref reader, scratch, index, rules, errors, out var occurredAt);
                    ev.OccurredAt = occurredAt;
                    break;
                case Field.Account:
                    account = ReadText(ref reader, index, name, errors, allowEmpty: false);
                    break;
                case Field.Provider:
                    provider = ReadText(ref reader, index, name, errors, allowEmpty: false);
                    break;
                case Field.Connection:
                    connection = ReadText(ref reader, index, name, errors, allowEmpty: false);
                    break;
                case Field.Resource:
                    ev.Resource = ReadText(ref reader, index, name, errors, allowEmpty: true);
                    break;
                case Field.UserId:
                    ev.UserId = ReadText(ref reader, index, name, errors, allowEmpty: false);
                    break;
                case Field.Method:
                    if (MatchEnum(ref reader, scratch, MethodValues) is { } method) ev.Method = (HttpMethodCode)method;
                    else errors.Add(index, name, $"'method' must be one of {WireNames.Describe(WireNames.Methods)}.");
                    break;
                case Field.Outcome:
                    if (MatchEnum(ref reader, scratch, OutcomeValues) is { } outcome) { ev.Outcome = (TelemetryOutcome)outcome; hasOutcome = true; }
                    else errors.Add(index, name, $"'outcome' must be one of {WireNames.Describe(WireNames.Outcomes)}.");
                    break;
                case Field.ErrorClass:
                    if (MatchEnum(ref reader, scratch, ErrorClassValues) is { } errorClass) { ev.ErrorClass = (ErrorClass)errorClass; hasErrorClass = true; }
                    else errors.Add(index, name, $"'errorClass' must be one of {WireNames.Describe(WireNames.ErrorClasses)}.");
                    break;
                case Field.Status:
                    if (ReadInt(ref reader, index, name, 100, 599, errors) is { } status) ev.HttpStatus = (short)status;
                    break;
                case Field.LatencyMs:
                    ev.LatencyMs = ReadInt(ref reader, index, name, 0, MaxLatencyMs, errors);
                    break;
                case Field.Records:
                    ev.Records = ReadInt(ref reader, index, name, 0, int.MaxValue, errors);
                    break;
                case Field.RateLimitRemaining:
                    ev.RateLimitRemaining = remaining = ReadInt(ref reader, index, name, 0, int.MaxValue, errors);
                    break;
                case Field.RateLimitLimit:
                    ev.RateLimitLimit = limit = ReadInt(ref reader, index, name, 0, int.MaxValue, errors);
                    break;
                case Field.Endpoint:
                    endpoint = ReadDetailText(ref reader, index, name, errors, MaxEndpointLength, lineBreaks: false);
                    break;
                case Field.ErrorMessage:
                    errorMessage = ReadDetailText(ref reader, index, name, errors, MaxErrorMessageLength, lineBreaks: true);
                    break;
                case Field.FailedField:
                    failedField = ReadDetailText(ref reader, index, name, errors, MaxTextLength, lineBreaks: false);
                    break;
                case Field.RecordId:
                    recordId = ReadDetailText(ref reader, index, name, errors, MaxTextLength, lineBreaks: false);
                    break;
            }
        }

        var missing = ~seen | nulls;
        Require(index, Field.Id, hasId, missing, errors);
        Require(index, Field.Kind, hasKind, missing, errors);
        Require(index, Field.OccurredAt, hasOccurredAt, missing, errors);
        Require(index, Field.Account, account is not null, missing, errors);
        Require(index, Field.Provider, provider is not null, missing, errors);
        if (hasKind && ev.Kind == TelemetryKind.Usage && ev.UserId is null && IsMissing(missing, Field.UserId))
            errors.Add(index, "userId", "'userId' is required for usage events.");
        if (remaining is { } r && limit is { } l && r > l)
            errors.Add(index, "rateLimitRemaining", $"'rateLimitRemaining' ({r}) must not exceed 'rateLimitLimit' ({l}).");

        if (errorMessage is not null || failedField is not null || recordId is not null)
            ev.Detail = new TelemetryEventDetail { ErrorMessage = errorMessage, Field = failedField, RecordId = recordId };

        if (account is not null && provider is not null)
            batch.References.Add(new EventReferences(index, ev, account, provider, connection, endpoint));
        if (errors.Count != errorsBefore) return;

        if (!hasOutcome)
        {
            var failed = (hasErrorClass && ev.ErrorClass != ErrorClass.None) || ev.HttpStatus >= 400;
            ev.Outcome = failed ? TelemetryOutcome.Failure : TelemetryOutcome.Success;
        }
        batch.Events.Add(ev);
    }

    /// <summary>A bounded, non-empty text of the detail fields (endpoint, errorMessage, field, recordId), following
    /// <see cref="TextRules"/>: an error message is free text (it may break lines), the others are identifiers.</summary>
    private static string? ReadDetailText(ref Utf8JsonReader reader, int index, string name, BatchErrors errors, int maxLength, bool lineBreaks) =>
        ReadText(ref reader, index, name, errors, allowEmpty: false, maxLength, freeText: lineBreaks);
}
