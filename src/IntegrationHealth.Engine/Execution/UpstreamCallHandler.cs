using System.Diagnostics;
using System.Text.Json;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Telemetry;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Execution;

/// <summary>
/// The innermost handler of the engine's HTTP clients: every attempt (retries included, as the resilience handler
/// sits outside it) is timed, its body read (bounded) and parsed once, classified by the definition's rules, and
/// reported as one telemetry event with the endpoint template, status, latency, error class and rate-limit state.
/// Each attempt first takes its place in the connection's request budget (a background one may wait for it; the wait
/// is not part of its latency) and its rate-limit headers feed the budget's pacing. Requests not sent by the executor
/// pass through untouched.
/// </summary>
internal sealed class UpstreamCallHandler(ResponseClassifier classifier, RequestBudget budget, IEngineTelemetry telemetry,
    IOptions<EngineOptions> options, TimeProvider time) : DelegatingHandler
{
    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 256 };
    private readonly EngineEvents _events = new(time);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (UpstreamCall.Of(request) is not { } call) return await base.SendAsync(request, cancellationToken);
        var rateLimits = call.Provider.Definition.RateLimit;
        call.BudgetWait += await budget.AcquireAsync(call.Connection, rateLimits, call.Context, cancellationToken);

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // A cancelled token here is either the caller giving up or the per-attempt timeout; both are recorded.
            var errorClass = e is HttpRequestException ? ErrorClass.Network : ErrorClass.Timeout;
            var failed = new ResponseClassification(ResponseAction.Retry, errorClass, null, errorClass == ErrorClass.Network ? "network failure" : "timeout");
            call.Attempted(null, failed, RateLimitSnapshot.None, null);
            telemetry.Record(_events.Request(call.Connection, call.Resource, request.Method, null, Elapsed(started), errorClass, RateLimitSnapshot.None), call.EndpointTemplate);
            throw;
        }

        var (body, malformed, tooLarge) = await ReadBodyAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        var classification = tooLarge
            ? new ResponseClassification(ResponseAction.Fail, ErrorClass.Other, null, "body unreadable: larger than Engine:MaxResponseBytes, or cut off")
            : classifier.Classify(call.Provider, call.Rules, new ClassifiedResponse(status, response.Headers, response.Content.Headers, body?.RootElement, malformed));
        var rateLimit = RateLimitReader.Read(rateLimits, response.Headers, time.GetUtcNow());
        budget.Observe(call.Connection, rateLimits, rateLimit);
        call.Attempted(status, classification, rateLimit, body);
        telemetry.Record(_events.Request(call.Connection, call.Resource, request.Method, status, Elapsed(started), classification.ErrorClass, rateLimit), call.EndpointTemplate);
        return response;
    }

    private async Task<(JsonDocument? Body, bool Malformed, bool TooLarge)> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxResponseBytes;
        try
        {
            await response.Content.LoadIntoBufferAsync(limit, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // Over the limit, or the connection dropped mid-body: either way there is no body to read.
            return (null, false, true);
        }
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length == 0) return (null, false, false);
        try
        {
            return (JsonDocument.Parse(bytes, BodyOptions), false, false);
        }
        catch (JsonException)
        {
            return (null, true, false);
        }
    }

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}
