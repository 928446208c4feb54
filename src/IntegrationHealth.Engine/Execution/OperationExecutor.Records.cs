using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Pagination;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Jsonata;
using static IntegrationHealth.Engine.Definitions.JsonPathText;

namespace IntegrationHealth.Engine.Execution;

/// <summary>The result of one single-record operation (get, create, update, delete).</summary>
/// <param name="Record">The mapped record the provider answered with; null for a delete, an answer without a body, an
/// ignored response (a get's 404), or a record that failed mapping (<paramref name="MappingFailure"/>).</param>
/// <param name="Found">False when the response was classified <c>ignore</c> (the record does not exist).</param>
public sealed record RecordResult(UnifiedRecord? Record, MappingFailure? MappingFailure, bool Found, int Status, RateLimitSnapshot RateLimit);

/// <summary>The caller's unified record could not be turned into the provider's request (the request mapping failed).</summary>
public sealed class RequestMappingException(string provider, string resource, string where, string message)
    : EngineCallException(provider, resource, $"{provider} {resource}: the request mapping at {where} failed: {message}")
{
    /// <summary>The JSONPath of the mapping in the definition.</summary>
    public string Where { get; } = where;
    public string Detail { get; } = message;
}

public sealed partial class OperationExecutor
{
    private static readonly JsonataOptions RequestMappingLimits = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>
    /// Runs a single-record operation: <c>get</c> and <c>delete</c> (by <paramref name="id"/>), <c>create</c> and
    /// <c>update</c> (the body from the operation's <c>request_mapping</c> over <paramref name="input"/>, with
    /// <c>$connection</c> and <c>$id</c> bound). The answer is mapped with the operation's <c>response_mapping</c>.
    /// </summary>
    /// <exception cref="UpstreamCallException">The provider's answer was not a success.</exception>
    /// <exception cref="RequestMappingException">The request mapping failed on the input.</exception>
    public async Task<RecordResult> RecordAsync(LoadedProvider provider, EngineConnection connection, string resource, string verb,
        string? id, JsonNode? input, CallContext context = CallContext.Interactive, CancellationToken cancellationToken = default)
    {
        var (resourceDefinition, operation) = provider.Operation(resource, verb);
        var operationPath = Member(Member(Member(Member(Root, "resources"), resource), "operations"), verb);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (id is not null) parameters["id"] = id;

        if (operation.RequestMapping is { } mapping)
        {
            var bindings = new JsonataBindings().Add("connection", ConnectionValuesOf(connection));
            if (id is not null) bindings.Add("id", JsonValue.Create(id));
            JsonataResult mapped;
            try
            {
                mapped = provider.Expression(mapping).Evaluate(input?.DeepClone() ?? new JsonObject(), bindings, RequestMappingLimits);
            }
            catch (JsonataException e)
            {
                throw new RequestMappingException(provider.Key, resource, Member(operationPath, "request_mapping"), $"{e.Code} at position {e.Position}: {e.Message}");
            }
            if (mapped.IsUndefined || mapped.Value is not JsonObject body)
                throw new RequestMappingException(provider.Key, resource, Member(operationPath, "request_mapping"), "The mapping did not produce a JSON object.");
            operation = operation with { Body = JsonSerializer.SerializeToElement(body) };
        }

        var request = new ListRequest { Context = context, Parameters = parameters };
        var baseUri = UpstreamRequestBuilder.BaseUri(provider, connection, resource, options.Value);
        var rules = Rules(provider, operation, operationPath);
        var steps = verb == "delete" ? null : await PreStepsAsync(provider, connection, resource, operation, request, baseUri, rules, operationPath, cancellationToken);
        using var response = await SendAsync(provider, connection, resource, operation, request, PageRequest.FirstPage, baseUri,
            rules, cancellationToken);
        if (response.Classification.Action == ResponseAction.Ignore)
            return new RecordResult(null, null, false, response.Status, response.RateLimit);
        if (verb == "delete" || response.Body is null)
            return new RecordResult(null, null, true, response.Status, response.RateLimit);

        var records = RecordMapper.Records(provider, operation, response.Body.RootElement);
        steps = await PostStepsAsync(provider, connection, resource, operation, request, baseUri, rules, response.Body.RootElement, records, steps, cancellationToken);
        var (mappedRecords, failures) = _mapper.Map(provider, resourceDefinition, operation, records, connection, Member(operationPath, "response_mapping"), steps);
        ReportMappingFailures(provider, connection, resource, failures);
        return new RecordResult(mappedRecords.FirstOrDefault(), failures.FirstOrDefault(), true, response.Status, response.RateLimit);
    }

    private static JsonObject ConnectionValuesOf(EngineConnection connection)
    {
        var values = new JsonObject();
        foreach (var (name, value) in connection.Values) values[name] = value;
        return values;
    }
}
