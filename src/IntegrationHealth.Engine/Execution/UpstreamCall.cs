using System.Text.Json;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Responses;

namespace IntegrationHealth.Engine.Execution;

/// <summary>
/// What the HTTP pipeline needs to know about a request the executor sends (carried in the request's options), and
/// what it learned from the last attempt: the classification, parsed body and rate-limit state. The classifying
/// handler fills it on every attempt; the background retry policy and the executor read it.
/// </summary>
internal sealed class UpstreamCall(LoadedProvider provider, EngineConnection connection, string resource, string endpointTemplate,
    IReadOnlyList<ClassificationRule> rules, CallContext context) : IDisposable
{
    private static readonly HttpRequestOptionsKey<UpstreamCall> Key = new("IntegrationHealth.Engine.UpstreamCall");

    public LoadedProvider Provider { get; } = provider;
    public EngineConnection Connection { get; } = connection;
    public string Resource { get; } = resource;
    /// <summary>The operation's path template, which telemetry names instead of the raw path.</summary>
    public string EndpointTemplate { get; } = endpointTemplate;
    public IReadOnlyList<ClassificationRule> Rules { get; } = rules;
    /// <summary>Background calls wait for the connection's request budget; request-path calls only count in it.</summary>
    public CallContext Context { get; } = context;
    /// <summary>Time this call's attempts waited for the request budget.</summary>
    public TimeSpan BudgetWait { get; set; }

    public int Attempts { get; private set; }
    public int? LastStatus { get; private set; }
    public ResponseClassification? LastClassification { get; private set; }
    public RateLimitSnapshot LastRateLimit { get; private set; } = RateLimitSnapshot.None;
    public JsonDocument? LastBody { get; private set; }

    public void Attach(HttpRequestMessage request) => request.Options.Set(Key, this);

    public static UpstreamCall? Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out var call) ? call : null;

    /// <summary>Records one attempt's result; the previous attempt's body is released.</summary>
    public void Attempted(int? status, ResponseClassification classification, RateLimitSnapshot rateLimit, JsonDocument? body)
    {
        Attempts++;
        LastStatus = status;
        LastClassification = classification;
        LastRateLimit = rateLimit;
        LastBody?.Dispose();
        LastBody = body;
    }

    /// <summary>Hands the last body to the caller, who then owns (and disposes) it.</summary>
    public JsonDocument? TakeBody()
    {
        var body = LastBody;
        LastBody = null;
        return body;
    }

    public void Dispose() => LastBody?.Dispose();
}
