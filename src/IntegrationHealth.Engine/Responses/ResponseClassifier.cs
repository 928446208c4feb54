using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Jsonata;

namespace IntegrationHealth.Engine.Responses;

/// <summary>A classification rule with the JSONPath it was declared at.</summary>
public sealed record ClassificationRule(ResponseRuleDefinition Definition, string Path);

/// <summary>What the classifier looks at: the status, the headers, and the body (absent when empty or not JSON).</summary>
public sealed record ClassifiedResponse(int Status, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders, JsonElement? Body, bool BodyMalformed);

/// <summary>
/// Decides what a response means by the definition's rules, in order (the operation's, then the provider's), the first
/// whose conditions all hold winning; then the engine's defaults (2xx success, 429 rate-limited, 401 needs re-auth,
/// 408 and 5xx retry, anything else fail). Which 401 means "expired" and which "revoked" is the definition's to say.
/// </summary>
public sealed class ResponseClassifier(TimeProvider time, ILogger<ResponseClassifier> logger)
{
    private static readonly JsonataOptions PredicateLimits = new() { Timeout = TimeSpan.FromSeconds(1) };

    public ResponseClassification Classify(LoadedProvider provider, IReadOnlyList<ClassificationRule> rules, ClassifiedResponse response)
    {
        var now = time.GetUtcNow();
        JsonataBindings? bindings = null;
        foreach (var rule in rules)
        {
            if (!Matches(provider, rule, response, ref bindings)) continue;
            var action = ResponseActions.Parse(rule.Definition.Action);
            var wait = action == ResponseAction.RateLimited ? WaitOf(provider, rule.Definition.Wait, response.Headers, now) : null;
            var errorClass = rule.Definition.ErrorClass is { } named ? ParseErrorClass(named) : ErrorClassOf(action, response.Status);
            return Verdict(action, errorClass, wait, rule.Path, response);
        }
        return Default(provider, response, now);
    }

    private ResponseClassification Default(LoadedProvider provider, ClassifiedResponse response, DateTimeOffset now)
    {
        var status = response.Status;
        var action = status switch
        {
            >= 200 and < 300 => ResponseAction.Success,
            429 => ResponseAction.RateLimited,
            401 => ResponseAction.NeedsReauth,
            408 or >= 500 => ResponseAction.Retry,
            _ => ResponseAction.Fail,
        };
        var wait = action == ResponseAction.RateLimited ? WaitOf(provider, null, response.Headers, now) : null;
        return Verdict(action, ErrorClassOf(action, status), wait, $"default for {status}", response);
    }

    /// <summary>A success whose body is not JSON cannot be read: it fails, so that it is counted rather than mapped.</summary>
    private static ResponseClassification Verdict(ResponseAction action, ErrorClass errorClass, TimeSpan? wait, string rule, ClassifiedResponse response) =>
        action == ResponseAction.Success && response.BodyMalformed
            ? new ResponseClassification(ResponseAction.Fail, ErrorClass.Other, null, rule + "; the body is not valid JSON")
            : new ResponseClassification(action, errorClass, wait, rule);

    private bool Matches(LoadedProvider provider, ClassificationRule rule, ClassifiedResponse response, ref JsonataBindings? bindings)
    {
        var when = rule.Definition.When;
        if (when.Status is { } statuses && !statuses.Any(s => StatusMatches(s, response.Status))) return false;
        if (when.Header is { } header)
        {
            var value = ResponseHeaders.First(response.Headers, header.Name)
                ?? (response.ContentHeaders is { } content ? ResponseHeaders.First(content, header.Name) : null);
            if ((value is not null) != header.Present) return false;
            if (header.EqualsValue is { } expected && !string.Equals(value, expected, StringComparison.Ordinal)) return false;
        }
        if (when.Body is { } predicate)
        {
            if (response.Body is not { } body) return false;
            bindings ??= Bindings(response);
            try
            {
                return Truthiness.Of(provider.Expression(predicate).Evaluate(body, bindings, PredicateLimits));
            }
            catch (JsonataException e)
            {
                // A predicate that fails on an unexpected body does not match; the next rule decides.
                EngineLog.PredicateFailed(logger, provider.Key, rule.Path, e.Code);
                return false;
            }
        }
        return true;
    }

    private static JsonataBindings Bindings(ClassifiedResponse response)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers) headers[name.ToLowerInvariant()] = values.FirstOrDefault();
        return new JsonataBindings().Add("status", JsonValue.Create(response.Status)).Add("headers", headers);
    }

    private static bool StatusMatches(JsonElement match, int status) => match.ValueKind switch
    {
        JsonValueKind.Number => match.GetInt32() == status,
        JsonValueKind.String => match.GetString() is [var digit, 'x', 'x'] && status / 100 == digit - '0',
        _ => false,
    };

    /// <summary>The wait of a rate-limited response: the rule's header, else Retry-After, else the rate-limit reset.</summary>
    private static TimeSpan? WaitOf(LoadedProvider provider, TimeHeader? wait, HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (wait is not null && TimeHeaderReader.Read(headers, wait.Header, wait.Unit, now) is { } fromRule) return fromRule;
        if (TimeHeaderReader.Read(headers, "Retry-After", TimeHeaderReader.RetryAfter, now) is { } retryAfter) return retryAfter;
        return RateLimitReader.Read(provider.Definition.RateLimit, headers, now).ResetAfter;
    }

    internal static ErrorClass ErrorClassOf(ResponseAction action, int status) => action switch
    {
        ResponseAction.Success or ResponseAction.Ignore => ErrorClass.None,
        ResponseAction.RateLimited => ErrorClass.RateLimited,
        ResponseAction.NeedsReauth => ErrorClass.InvalidGrant,
        _ => status switch
        {
            408 => ErrorClass.Timeout,
            >= 500 => ErrorClass.Server5xx,
            >= 400 => ErrorClass.Client4xx,
            _ => ErrorClass.Other,
        },
    };

    private static ErrorClass ParseErrorClass(string name) =>
        Array.IndexOf(WireNames.ErrorClasses, name) is >= 0 and var i ? (ErrorClass)i : ErrorClass.Other;
}

/// <summary>JSONata's <c>$boolean</c> casting, so predicates may return flags, strings, counts or lists.</summary>
internal static class Truthiness
{
    public static bool Of(JsonataResult result) => !result.IsUndefined && Of(result.Value);

    public static bool Of(JsonNode? node) => node switch
    {
        null => false,
        JsonArray array => array.Any(Of),
        JsonObject obj => obj.Count > 0,
        JsonValue value when value.TryGetValue<bool>(out var b) => b,
        JsonValue value when value.TryGetValue<string>(out var s) => s.Length > 0,
        JsonValue value when value.TryGetValue<double>(out var d) => d != 0 && !double.IsNaN(d),
        _ => true,
    };
}
