using System.Text.Json;
using System.Text.Unicode;
using IntegrationHealth.Ingestion;
using IntegrationHealth.Ingestion.Events;
using IntegrationHealth.Ingestion.Providers;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHealth.Ingestion.Upserts;

/// <summary>The validated items of an upsert request, or the problem to answer with.</summary>
public sealed record UpsertItems<T>(IReadOnlyList<T>? Items, ProblemHttpResult? Problem);

/// <summary>
/// The common front half of every bulk upsert: Content-Type, size limit while reading, UTF-8, well-formed JSON, a
/// top-level array within the item limit, each item read strictly, and external ids unique within the batch.
/// </summary>
public static class UpsertRequest
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };

    public static async Task<UpsertItems<T>> ReadAsync<T>(
        HttpContext context, IngestionOptions options, string what, IReadOnlyCollection<string> allowed,
        Func<ItemReader, T?> readItem, Func<T, string> externalId, string idField = "externalId")
        where T : class
    {
        if (BodyFormat.Of(context.Request.ContentType) != BodyFormat.Kind.Json)
            return Fail<T>(Problems.UnsupportedMediaType("Send a JSON array with Content-Type 'application/json' (UTF-8)."));

        using var body = await RequestBody.ReadAsync(context, options.MaxBodyBytes, context.RequestAborted);
        if (body is null)
            return Fail<T>(Problems.PayloadTooLarge($"The body exceeds {options.MaxBodyBytes} bytes (Ingestion:MaxBodyBytes)."));

        var errors = new BatchErrors(options.MaxReportedErrors);
        var json = body.Memory;
        if (json.Span.StartsWith("\uFEFF"u8)) json = json[3..];
        if (!Utf8.IsValid(json.Span))
        {
            errors.Add(-1, "$", "The body is not valid UTF-8.");
            return Fail<T>(Problems.InvalidBatch(errors, what));
        }
        if (json.IsEmpty)
        {
            errors.Add(-1, "$", $"The body is empty; expected a JSON array of {what}s.");
            return Fail<T>(Problems.InvalidBatch(errors, what));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add(-1, "$", $"Malformed JSON: {ex.Message}");
            return Fail<T>(Problems.InvalidBatch(errors, what));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                errors.Add(-1, "$", $"Expected a JSON array of {what}s.");
                return Fail<T>(Problems.InvalidBatch(errors, what));
            }
            var count = root.GetArrayLength();
            if (count > options.MaxUpsertItems)
                return Fail<T>(Problems.PayloadTooLarge($"A batch may hold at most {options.MaxUpsertItems} {what}s (Ingestion:MaxUpsertItems)."));

            var items = new List<T>(count);
            var firstIndexById = new Dictionary<string, int>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                var before = errors.Count;
                var reader = new ItemReader(element, index, errors, allowed);
                var item = reader.IsObject ? readItem(reader) : null;
                if (item is not null && errors.Count == before)
                {
                    var id = externalId(item);
                    if (firstIndexById.TryGetValue(id, out var first))
                        errors.Add(index, idField, $"Duplicate {idField} '{id}' in this batch (also at index {first}).");
                    else
                    {
                        firstIndexById[id] = index;
                        items.Add(item);
                    }
                }
                index++;
            }
            if (errors.Any) return Fail<T>(Problems.InvalidBatch(errors, what));
            return new UpsertItems<T>(items, null);
        }
    }

    private static UpsertItems<T> Fail<T>(ProblemHttpResult problem) => new(null, problem);
}
