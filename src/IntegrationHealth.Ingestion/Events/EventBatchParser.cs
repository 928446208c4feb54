using System.Text.Json;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Http;

namespace IntegrationHealth.Ingestion.Events;

/// <summary>
/// External ids one event refers to, resolved to row ids in bulk once the whole batch has parsed. Kept also for events
/// with other errors, so one response reports an unknown account next to a bad status code.
/// </summary>
/// <remarks><see cref="Endpoint"/> is the route template, interned to <see cref="TelemetryEvent.EndpointId"/> once the
/// provider is resolved.</remarks>
public readonly record struct EventReferences(
    int Index, TelemetryEvent Event, string Account, string Provider, string? Connection, string? Endpoint = null);

/// <summary>Limits an event must respect, fixed per batch (so "now" is read once).</summary>
public readonly record struct EventRules(int MaxEvents, DateTime EarliestUtc, DateTime LatestUtc);

/// <summary>What the parser produced: events (entities with tenant/account/provider ids still unset) and their references.</summary>
public sealed class ParsedBatch
{
    /// <summary>The events that parsed without error, in batch order (what gets written when nothing failed).</summary>
    public List<TelemetryEvent> Events { get; } = [];
    /// <summary>References of every event whose account and provider parsed.</summary>
    public List<EventReferences> References { get; } = [];
    /// <summary>Set when the batch holds more than <see cref="EventRules.MaxEvents"/> events (the caller answers 413).</summary>
    public bool TooManyEvents { get; set; }
    /// <summary>Events seen, valid or not.</summary>
    public int Count { get; set; }
}

/// <summary>
/// Parses a batch of telemetry events (a JSON array, or NDJSON with one event per line) straight from UTF-8 with
/// <see cref="Utf8JsonReader"/>, into entities: no DOM, no intermediate DTO. Every field is validated and every error
/// is collected with its index and field; unknown and repeated properties are errors so typos never drop data.
/// The body must already be valid UTF-8 (the endpoint checks it first, vectorised).
/// </summary>
public static partial class EventBatchParser
{
    /// <summary>Room for unescaping property names and enum values (all are short; longer ones cannot match).</summary>
    private const int ScratchBytes = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses a JSON array of event objects.</summary>
    public static ParsedBatch ParseArray(ReadOnlySpan<byte> body, EventRules rules, BatchErrors errors)
    {
        var batch = new ParsedBatch();
        var scratch = new byte[ScratchBytes];
        var reader = new Utf8JsonReader(body, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        var index = 0;
        try
        {
            if (!reader.Read())
            {
                errors.Add(-1, "$", "The body is empty; expected a JSON array of events.");
                return batch;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                errors.Add(-1, "$", "Expected a JSON array of events (or NDJSON with Content-Type: application/x-ndjson).");
                return batch;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (index >= rules.MaxEvents)
                {
                    batch.TooManyEvents = true;
                    return batch;
                }
                ParseEvent(ref reader, index, rules, errors, batch, scratch);
                index++;
            }
            if (reader.Read())
                errors.Add(-1, "$", "Unexpected content after the closing ']' of the event array.");
        }
        catch (JsonException ex)
        {
            errors.Add(index, "$", MalformedMessage(ex));
        }
        finally
        {
            batch.Count = index;
        }
        return batch;
    }

    /// <summary>Parses newline-delimited JSON: one event object per line; blank lines are ignored.</summary>
    public static ParsedBatch ParseNdjson(ReadOnlySpan<byte> body, EventRules rules, BatchErrors errors)
    {
        var batch = new ParsedBatch();
        var scratch = new byte[ScratchBytes];
        var index = 0;
        var rest = body;
        while (!rest.IsEmpty)
        {
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? [] : rest[(newline + 1)..];
            if (line.Trim(" \t\r"u8).IsEmpty) continue;
            if (index >= rules.MaxEvents)
            {
                batch.TooManyEvents = true;
                break;
            }

            var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(ReaderOptions));
            try
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                    errors.Add(index, "$", "Each NDJSON line must be one JSON object (an event).");
                else
                {
                    ParseEvent(ref reader, index, rules, errors, batch, scratch);
                    if (reader.Read())
                        errors.Add(index, "$", "Unexpected content after the event object on this line (one event per line).");
                }
            }
            catch (JsonException ex)
            {
                errors.Add(index, "$", MalformedMessage(ex));
            }
            index++;
        }
        batch.Count = index;
        if (index == 0 && !batch.TooManyEvents)
            errors.Add(-1, "$", "The body is empty; expected one event per line.");
        return batch;
    }

    private static string MalformedMessage(JsonException ex) =>
        // The reader's message names the offending token and position without echoing the payload.
        $"Malformed JSON: {ex.Message}";
}
