using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Models;
using IntegrationHealth.Engine.Pagination;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Telemetry;
using IntegrationHealth.Jsonata;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using static IntegrationHealth.Engine.Definitions.JsonPathText;

namespace IntegrationHealth.Engine.Execution;

/// <summary>A listing's options: where it runs, the call's parameters (path and query placeholders), a page cap.</summary>
public sealed record ListRequest
{
    public CallContext Context { get; init; } = CallContext.Interactive;
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    /// <summary>Overrides the definition's <c>max_pages</c> and <see cref="EngineOptions.MaxPages"/>.</summary>
    public int? MaxPages { get; init; }
    /// <summary>A <see cref="RecordPage.Next"/> of an earlier listing: start there instead of at the first page (a sync
    /// resuming from its checkpoint). Ignored when it points at another origin than the provider's.</summary>
    public string? ResumeFrom { get; init; }
    /// <summary>The unified filters (checked against the operation's <c>filters</c>), input of its <c>query_mapping</c>.</summary>
    public JsonObject? Filters { get; init; }
    /// <summary>The caller's page size, bound as <c>$limit</c> for the query mapping.</summary>
    public int? Limit { get; init; }
}

/// <summary>One page of a listing: its mapped records, the records that failed mapping, and the provider's rate-limit state.</summary>
/// <param name="Next">The request of the page after this one as an opaque checkpoint (for <see cref="ListRequest.ResumeFrom"/>);
/// null when this is the last page.</param>
/// <param name="MappingTime">Time spent mapping this page's records.</param>
public sealed record RecordPage(int Number, IReadOnlyList<UnifiedRecord> Records, IReadOnlyList<MappingFailure> MappingFailures,
    int Status, RateLimitSnapshot RateLimit)
{
    public string? Next { get; init; }
    public TimeSpan MappingTime { get; init; }
    /// <summary>Time the page's request waited for the connection's request budget (background listings only).</summary>
    public TimeSpan BudgetWait { get; init; }
    /// <summary>The checkpoint of the request this page was read with (null: the first page of a listing not resumed), to
    /// read it again with <see cref="ListRequest.ResumeFrom"/> (the unified API's cursor continues inside a page).</summary>
    public string? Position { get; init; }
}

/// <summary>
/// The one generic engine: for any loaded definition, a connection and its credentials, it builds each request,
/// injects the credential, follows the definition's pagination under the loop guards, classifies every response by
/// the definition's rules (refreshing and retrying once when told the token expired), maps records into unified
/// models, and reports every upstream call as telemetry. Nothing in it knows a provider.
/// </summary>
public sealed partial class OperationExecutor(
    IHttpClientFactory httpClients,
    IAccessTokenSource tokens,
    ConnectionRevocation revocation,
    UnifiedModelCatalog models,
    IEngineTelemetry telemetry,
    IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<OperationExecutor> logger)
{
    private static readonly JsonataOptions StopLimits = new() { Timeout = TimeSpan.FromSeconds(1) };
    private readonly RecordMapper _mapper = new(models);
    private readonly EngineEvents _events = new(time);

    /// <summary>Streams the resource's records page by page, mapped into its unified model.</summary>
    /// <exception cref="UpstreamCallException">A response was not a success (after what the context allows).</exception>
    /// <exception cref="PaginationException">The provider looped, or sent more pages than allowed.</exception>
    public async IAsyncEnumerable<RecordPage> ListAsync(LoadedProvider provider, EngineConnection connection, string resource,
        ListRequest? request = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        request ??= new ListRequest();
        var (resourceDefinition, operation) = provider.Operation(resource, "list");
        var baseUri = UpstreamRequestBuilder.BaseUri(provider, connection, resource, options.Value);
        var operationPath = Member(Member(Member(Member(Root, "resources"), resource), "operations"), "list");
        var maxPages = request.MaxPages ?? operation.Pagination?.MaxPages ?? options.Value.MaxPages;
        var guard = new PaginationGuard(provider.Key, resource, maxPages, baseUri);
        var paginator = Paginator.For(operation.Pagination, provider);
        var rules = Rules(provider, operation, operationPath);
        var started = Stopwatch.GetTimestamp();
        var pageRequest = paginator.First();
        if (request.ResumeFrom is { } resume && PageCheckpoint.Read(resume, baseUri) is { } resumed)
        {
            pageRequest = resumed;
            paginator.Resume(resumed);
        }
        var mappedRequest = QueryMapping.Evaluate(provider, resource, operation, request, connection, Member(operationPath, "query_mapping"));
        var steps = await PreStepsAsync(provider, connection, resource, operation, request, baseUri, rules, operationPath, cancellationToken);
        var position = request.ResumeFrom is { } from && PageCheckpoint.Read(from, baseUri) is not null ? from : null;
        var recordsRead = 0;

        for (var number = 1; ; number++)
        {
            PageRequest? next;
            RecordPage result;
            using (var response = await SendAsync(provider, connection, resource, operation, request, pageRequest, baseUri, rules, cancellationToken, mappedRequest))
            {
                var body = response.Body?.RootElement;
                var ignored = response.Classification.Action == ResponseAction.Ignore;
                var records = ignored ? [] : RecordMapper.Records(provider, operation, body);
                Guarded(() => guard.AfterPage(number, new JsonArray([.. records.Select(r => r.DeepClone())]).ToJsonString(), records.Count),
                    connection, provider, resource, recordsRead, started);
                var pageSteps = ignored ? steps
                    : await PostStepsAsync(provider, connection, resource, operation, request, baseUri, rules, body, records, steps, cancellationToken);
                var mappingStarted = Stopwatch.GetTimestamp();
                var (mapped, failures) = _mapper.Map(provider, resourceDefinition, operation, records, connection, Member(operationPath, "response_mapping"), pageSteps);
                var mappingTime = Stopwatch.GetElapsedTime(mappingStarted);
                ReportMappingFailures(provider, connection, resource, failures);
                recordsRead += mapped.Count;

                // The next request is worked out before the page is handed over, so a consumer can commit the page
                // together with where to continue (the guards still run after it, as before).
                var page = new PageResponse(number, response.Status, response.Message.Headers, body, records.Count, response.RequestUri);
                next = ignored || StopWhen(provider, operation.Pagination, page, resource) ? null : paginator.Next(page);
                result = new RecordPage(number, mapped, failures, response.Status, response.RateLimit)
                {
                    Next = next is null ? null : PageCheckpoint.Write(next),
                    Position = position,
                    MappingTime = mappingTime,
                    BudgetWait = response.BudgetWait,
                };
            }
            yield return result;
            position = result.Next;

            if (next is null) yield break;
            Guarded(() => guard.BeforeNext(next, number), connection, provider, resource, recordsRead, started);
            pageRequest = next;
        }
    }

    /// <summary>Runs the operation's pre-steps once, in order, and returns their results by name (bound as
    /// <c>$steps</c> for the mapping); null when it has none. A failing step fails the operation.</summary>
    private async Task<JsonObject?> PreStepsAsync(LoadedProvider provider, EngineConnection connection, string resource,
        OperationDefinition operation, ListRequest request, Uri baseUri, IReadOnlyList<ClassificationRule> rules, string operationPath,
        CancellationToken cancellationToken)
    {
        if (operation.PreSteps.Count == 0) return null;
        var steps = new JsonObject();
        foreach (var step in operation.PreSteps)
            steps[step.Name] = await StepAsync(provider, connection, resource, step, request, baseUri, rules, cancellationToken);
        return steps;
    }

    /// <summary>Runs the operation's post-steps, in order, after a main response (each page of a listing): each step's
    /// <c>parameters</c> expression reads <c>{body, records}</c> of that response for its templates. Returns the
    /// pre-steps' results with the post-steps' added (a copy: each page has its own); a failing step fails the operation.</summary>
    private async Task<JsonObject?> PostStepsAsync(LoadedProvider provider, EngineConnection connection, string resource,
        OperationDefinition operation, ListRequest request, Uri baseUri, IReadOnlyList<ClassificationRule> rules, JsonElement? body,
        IReadOnlyList<JsonNode> records, JsonObject? preSteps, CancellationToken cancellationToken)
    {
        if (operation.PostSteps.Count == 0) return preSteps;
        var steps = (JsonObject?)preSteps?.DeepClone() ?? new JsonObject();
        var input = new JsonObject
        {
            ["body"] = body is { } b ? JsonNode.Parse(b.GetRawText()) : null,
            ["records"] = new JsonArray([.. records.Select(r => r.DeepClone())]),
        };
        foreach (var step in operation.PostSteps)
        {
            var stepRequest = request;
            if (step.Parameters is { } expression)
            {
                var evaluated = provider.Expression(expression).Evaluate(input, options: StopLimits);
                var parameters = new Dictionary<string, string>(request.Parameters, StringComparer.Ordinal);
                if (!evaluated.IsUndefined && evaluated.Value is JsonObject values)
                {
                    foreach (var (name, value) in values)
                    {
                        if (value is JsonValue v) parameters[name] = v.TryGetValue<string>(out var s) ? s : v.ToJsonString();
                        else if (value is not null) parameters[name] = value.ToJsonString();
                    }
                }
                stepRequest = request with { Parameters = parameters };
            }
            steps[step.Name] = await StepAsync(provider, connection, resource, step, stepRequest, baseUri, rules, cancellationToken);
        }
        return steps;
    }

    /// <summary>One extra call (pre- or post-step) and its result: the body, or what its <c>result</c> keeps of it.</summary>
    private async Task<JsonNode?> StepAsync(LoadedProvider provider, EngineConnection connection, string resource, StepDefinition step,
        ListRequest request, Uri baseUri, IReadOnlyList<ClassificationRule> rules, CancellationToken cancellationToken)
    {
        var call = new OperationDefinition { Method = step.Method, Path = step.Path, Query = step.Query, Headers = step.Headers };
        using var response = await SendAsync(provider, connection, resource, call, request with { ResumeFrom = null }, PageRequest.FirstPage,
            baseUri, rules, cancellationToken);
        if (response.Body?.RootElement is not { } body) return null;
        if (step.Result is not { } expression) return JsonNode.Parse(body.GetRawText());
        var evaluated = provider.Expression(expression).Evaluate(body, options: StopLimits);
        return evaluated.IsUndefined ? null : evaluated.Value?.DeepClone();
    }

    /// <summary>Reads every page of a listing into one list (tests, small resources); mapping failures are returned too.</summary>
    public async Task<(IReadOnlyList<UnifiedRecord> Records, IReadOnlyList<MappingFailure> Failures)> ListAllAsync(LoadedProvider provider,
        EngineConnection connection, string resource, ListRequest? request = null, CancellationToken cancellationToken = default)
    {
        var records = new List<UnifiedRecord>();
        var failures = new List<MappingFailure>();
        await foreach (var page in ListAsync(provider, connection, resource, request, cancellationToken))
        {
            records.AddRange(page.Records);
            failures.AddRange(page.MappingFailures);
        }
        return (records, failures);
    }

    /// <summary>Fetches one record by id with the resource's <c>get</c> operation (its path names <c>{id}</c>).</summary>
    public async Task<UnifiedRecord?> GetAsync(LoadedProvider provider, EngineConnection connection, string resource, string id,
        CallContext context = CallContext.Interactive, CancellationToken cancellationToken = default)
    {
        var (resourceDefinition, operation) = provider.Operation(resource, "get");
        var operationPath = Member(Member(Member(Member(Root, "resources"), resource), "operations"), "get");
        var request = new ListRequest { Context = context, Parameters = new Dictionary<string, string> { ["id"] = id } };
        var baseUri = UpstreamRequestBuilder.BaseUri(provider, connection, resource, options.Value);
        using var response = await SendAsync(provider, connection, resource, operation, request, PageRequest.FirstPage, baseUri,
            Rules(provider, operation, operationPath), cancellationToken);
        if (response.Classification.Action == ResponseAction.Ignore) return null;
        var records = RecordMapper.Records(provider, operation, response.Body?.RootElement);
        var rules = Rules(provider, operation, operationPath);
        var steps = await PreStepsAsync(provider, connection, resource, operation, request, baseUri, rules, operationPath, cancellationToken);
        steps = await PostStepsAsync(provider, connection, resource, operation, request, baseUri, rules, response.Body?.RootElement, records, steps, cancellationToken);
        var (mapped, failures) = _mapper.Map(provider, resourceDefinition, operation, records, connection, Member(operationPath, "response_mapping"), steps);
        ReportMappingFailures(provider, connection, resource, failures);
        return mapped.FirstOrDefault();
    }

    /// <summary>The operation's rules, then the provider's (the classifier adds the engine's defaults last).</summary>
    private static List<ClassificationRule> Rules(LoadedProvider provider, OperationDefinition operation, string operationPath) =>
    [
        .. operation.Responses.Select((r, i) => new ClassificationRule(r, Index(Member(operationPath, "responses"), i))),
        .. provider.Definition.Responses.Select((r, i) => new ClassificationRule(r, Index(Member(Root, "responses"), i))),
    ];

    private async Task<UpstreamResponse> SendAsync(LoadedProvider provider, EngineConnection connection, string resource,
        OperationDefinition operation, ListRequest request, PageRequest page, Uri baseUri, IReadOnlyList<ClassificationRule> rules,
        CancellationToken cancellationToken, MappedRequest? mapped = null)
    {
        var client = httpClients.CreateClient(request.Context == CallContext.Background ? EngineHttpClients.Background : EngineHttpClients.Interactive);
        for (var refreshed = false; ; refreshed = true)
        {
            var credentials = provider.Definition.Auth.Kind == AuthKinds.None
                ? ConnectionCredentials.Of()
                : await tokens.GetAsync(provider, connection, resource, refreshed, cancellationToken);
            var message = UpstreamRequestBuilder.Build(provider, connection, resource, operation, request.Parameters, page, baseUri, mapped);
            CredentialInjector.Apply(message, provider, resource, credentials);
            var call = new UpstreamCall(provider, connection, resource, operation.Path, rules, request.Context);
            call.Attach(message);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var classification = call.LastClassification
                    ?? new ResponseClassification(ResponseAction.Retry, e is HttpRequestException ? ErrorClass.Network : ErrorClass.Timeout, null, "no response");
                call.Dispose();
                message.Dispose();
                throw new UpstreamCallException(provider.Key, resource, null, classification, RateLimitSnapshot.None, e);
            }

            var verdict = call.LastClassification!;
            if (verdict.IsSuccess) return new UpstreamResponse(message, response, call);

            var status = (int)response.StatusCode;
            var rateLimit = call.LastRateLimit;
            var providerError = ProviderErrors.Map(provider, operation, status, response.Headers, call.LastBody, logger, resource);
            response.Dispose();
            call.Dispose();
            message.Dispose();
            if (verdict.Action == ResponseAction.RefreshThenRetryOnce && !refreshed && AuthKinds.UsesTokenEndpoint(provider.Definition.Auth.Kind))
            {
                EngineLog.RefreshingAfterRejection(logger, connection.ConnectionId, provider.Key, status);
                continue;
            }
            // Told again that the token expired, right after a refresh (or with nothing to refresh): the grant is gone.
            if (verdict.Action == ResponseAction.RefreshThenRetryOnce)
                verdict = verdict with { Action = ResponseAction.NeedsReauth, ErrorClass = ErrorClass.InvalidGrant, Rule = verdict.Rule + " (again after a refresh)" };
            EngineLog.CallFailed(logger, connection.ConnectionId, provider.Key, resource, status, ResponseActions.Of(verdict.Action), verdict.Rule);
            // The provider itself says the credentials are revoked: the connection needs a person, now (flag and alert).
            if (verdict.Action == ResponseAction.NeedsReauth && provider.Definition.Auth.Kind != AuthKinds.None)
                await revocation.ApiRefusedAsync(provider, connection, resource, status, verdict.Rule);
            throw new UpstreamCallException(provider.Key, resource, status, verdict, rateLimit) { ProviderError = providerError };
        }
    }

    private bool StopWhen(LoadedProvider provider, PaginationDefinition? pagination, PageResponse page, string resource)
    {
        if (pagination?.StopWhen is not { } stop) return false;
        var headers = new JsonObject();
        foreach (var (name, values) in page.Headers) headers[name.ToLowerInvariant()] = values.FirstOrDefault();
        var input = new JsonObject
        {
            ["status"] = page.Status,
            ["headers"] = headers,
            ["body"] = page.Body is { } body ? JsonNode.Parse(body.GetRawText()) : null,
            ["page"] = new JsonObject { ["number"] = page.Number, ["records"] = page.Records, ["page_size"] = pagination.PageSize },
        };
        try
        {
            return Truthiness.Of(provider.Expression(stop).Evaluate(input, options: StopLimits));
        }
        catch (JsonataException e)
        {
            EngineLog.StopConditionFailed(logger, provider.Key, resource, e.Code);
            return false;
        }
    }

    /// <summary>Runs a guard check; a stopped listing is logged and reported as a failed run before the error goes up.</summary>
    private void Guarded(Action check, EngineConnection connection, LoadedProvider provider, string resource, int records, long started)
    {
        try
        {
            check();
        }
        catch (PaginationException e)
        {
            EngineLog.PaginationStopped(logger, connection.ConnectionId, provider.Key, resource, e.Pages, e.Failure.ToString());
            var elapsed = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            telemetry.Record(_events.ListingStopped(connection, resource, records, elapsed, $"{e.Failure}: {e.Message}"));
            throw;
        }
    }

    private void ReportMappingFailures(LoadedProvider provider, EngineConnection connection, string resource, List<MappingFailure> failures)
    {
        foreach (var failure in failures)
        {
            EngineLog.MappingFailed(logger, connection.ConnectionId, provider.Key, resource, failure.Index, failure.Where);
            telemetry.Record(_events.MappingFailure(connection, resource, failure));
        }
    }

    /// <summary>A successful response with its parsed body; owns the request, response and body until disposed.</summary>
    private sealed class UpstreamResponse(HttpRequestMessage request, HttpResponseMessage message, UpstreamCall call) : IDisposable
    {
        public HttpResponseMessage Message { get; } = message;
        public int Status { get; } = (int)message.StatusCode;
        public ResponseClassification Classification { get; } = call.LastClassification!;
        public RateLimitSnapshot RateLimit { get; } = call.LastRateLimit;
        public JsonDocument? Body { get; } = call.TakeBody();
        public Uri RequestUri { get; } = request.RequestUri!;
        public TimeSpan BudgetWait { get; } = call.BudgetWait;

        public void Dispose()
        {
            Body?.Dispose();
            call.Dispose();
            Message.Dispose();
            request.Dispose();
        }
    }
}
