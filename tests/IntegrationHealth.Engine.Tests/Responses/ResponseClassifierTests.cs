using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Tests.Definitions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Engine.Tests.Responses;

/// <summary>Classification rules in order (status codes and classes, headers, body predicates), their actions and
/// waits, and the engine's defaults after them.</summary>
public sealed class ResponseClassifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ResponseClassifier _classifier = new(new FakeTimeProvider(Now), NullLogger<ResponseClassifier>.Instance);

    /// <summary>The minimal definition with <paramref name="rules"/> as its provider-level rules.</summary>
    private static LoadedProvider Provider(string rules, string? rateLimit = null)
    {
        var definition = TestDefinitions.Minimal();
        definition["responses"] = JsonNode.Parse(rules);
        if (rateLimit is not null) definition["rate_limit"] = JsonNode.Parse(rateLimit);
        return TestDefinitions.Loader.Load(definition.ToJsonString());
    }

    private ResponseClassification Classify(LoadedProvider provider, int status, string? body = null, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body ?? "") };
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        JsonElement? parsed = null;
        var malformed = false;
        if (!string.IsNullOrEmpty(body))
        {
            try { parsed = JsonDocument.Parse(body).RootElement; }
            catch (JsonException) { malformed = true; }
        }
        var rules = provider.Definition.Responses.Select((r, i) => new ClassificationRule(r, $"$.responses[{i}]")).ToList();
        return _classifier.Classify(provider, rules, new ClassifiedResponse(status, response.Headers, response.Content.Headers, parsed, malformed));
    }

    private const string ExpiredVersusRevoked = """
        [
          { "when": { "status": [401], "body": "error.code = 'token_expired'" }, "action": "refresh_then_retry_once" },
          { "when": { "status": [401], "body": "error.code = 'invalid_grant' or $contains(error.message, 'revoked')" }, "action": "needs_reauth" },
          { "when": { "status": [401] }, "action": "fail", "error_class": "4xx" }
        ]
        """;

    [Theory]
    [InlineData("""{"error":{"code":"token_expired"}}""", ResponseAction.RefreshThenRetryOnce, "$.responses[0]")]
    [InlineData("""{"error":{"code":"invalid_grant"}}""", ResponseAction.NeedsReauth, "$.responses[1]")]
    [InlineData("""{"error":{"code":"x","message":"token was revoked by the user"}}""", ResponseAction.NeedsReauth, "$.responses[1]")]
    [InlineData("""{"error":{"code":"other"}}""", ResponseAction.Fail, "$.responses[2]")]
    [InlineData("not json", ResponseAction.Fail, "$.responses[2]")]
    public void Classify_Same401DifferentBodies_TheDefinitionDecides(string body, ResponseAction action, string rule)
    {
        var verdict = Classify(Provider(ExpiredVersusRevoked), 401, body);

        Assert.Equal((action, rule), (verdict.Action, verdict.Rule));
    }

    [Fact]
    public void Classify_RulesAreTriedInOrder_FirstMatchWins()
    {
        var provider = Provider("""
            [
              { "when": { "status": ["4xx"] }, "action": "fail" },
              { "when": { "status": [404] }, "action": "ignore" }
            ]
            """);

        Assert.Equal(ResponseAction.Fail, Classify(provider, 404).Action);
    }

    [Fact]
    public void Classify_HeaderConditions_PresenceAbsenceAndValue()
    {
        var provider = Provider("""
            [
              { "when": { "status": [403], "header": { "name": "X-Throttled", "equals": "yes" } }, "action": "rate_limited", "wait": { "header": "X-Wait-Ms", "unit": "delta_milliseconds" } },
              { "when": { "status": [503], "header": { "name": "Retry-After", "present": false } }, "action": "fail" }
            ]
            """);

        var throttled = Classify(provider, 403, null, ("X-Throttled", "yes"), ("X-Wait-Ms", "2500"));
        var forbidden = Classify(provider, 403, null, ("X-Throttled", "no"));
        var down = Classify(provider, 503);
        var downWithRetry = Classify(provider, 503, null, ("Retry-After", "5"));

        Assert.Equal((ResponseAction.RateLimited, TimeSpan.FromMilliseconds(2500), ErrorClass.RateLimited), (throttled.Action, throttled.Wait, throttled.ErrorClass));
        Assert.Equal((ResponseAction.Fail, "default for 403"), (forbidden.Action, forbidden.Rule));
        Assert.Equal((ResponseAction.Fail, "$.responses[1]"), (down.Action, down.Rule));
        Assert.Equal((ResponseAction.Retry, "default for 503"), (downWithRetry.Action, downWithRetry.Rule));
    }

    [Fact]
    public void Classify_BodyPredicate_SeesStatusAndHeadersAsVariables()
    {
        var provider = Provider("""[{ "when": { "body": "$status = 200 and $headers.'x-partial' = 'true' and $count(items) = 0" }, "action": "retry" }]""");

        Assert.Equal(ResponseAction.Retry, Classify(provider, 200, """{"items":[]}""", ("X-Partial", "true")).Action);
        Assert.Equal(ResponseAction.Success, Classify(provider, 200, """{"items":[1]}""", ("X-Partial", "true")).Action);
    }

    [Fact]
    public void Classify_PredicateFailingAtRunTime_DoesNotMatch()
    {
        var provider = Provider("""[{ "when": { "body": "$number(count) > 3" }, "action": "fail" }]""");

        Assert.Equal(ResponseAction.Success, Classify(provider, 200, """{"count":"many"}""").Action);
    }

    [Theory]
    [InlineData(200, ResponseAction.Success, ErrorClass.None)]
    [InlineData(204, ResponseAction.Success, ErrorClass.None)]
    [InlineData(301, ResponseAction.Fail, ErrorClass.Other)]
    [InlineData(400, ResponseAction.Fail, ErrorClass.Client4xx)]
    [InlineData(401, ResponseAction.NeedsReauth, ErrorClass.InvalidGrant)]
    [InlineData(404, ResponseAction.Fail, ErrorClass.Client4xx)]
    [InlineData(408, ResponseAction.Retry, ErrorClass.Timeout)]
    [InlineData(429, ResponseAction.RateLimited, ErrorClass.RateLimited)]
    [InlineData(500, ResponseAction.Retry, ErrorClass.Server5xx)]
    [InlineData(503, ResponseAction.Retry, ErrorClass.Server5xx)]
    public void Classify_NoRuleMatches_EngineDefaults(int status, ResponseAction action, ErrorClass errorClass)
    {
        var verdict = Classify(Provider("[]"), status);

        Assert.Equal((action, errorClass, $"default for {status}"), (verdict.Action, verdict.ErrorClass, verdict.Rule));
    }

    [Fact]
    public void Classify_SuccessWithMalformedBody_Fails()
    {
        var verdict = Classify(Provider("[]"), 200, "{\"a\": [1, 2");

        Assert.Equal((ResponseAction.Fail, ErrorClass.Other), (verdict.Action, verdict.ErrorClass));
    }

    [Theory]
    [InlineData("Retry-After", "120", 120)]
    [InlineData("Retry-After", "Sun, 01 Mar 2026 12:00:30 GMT", 30)]
    [InlineData("Retry-After", "Sun, 01 Mar 2026 11:00:00 GMT", 0)] // in the past: no wait
    public void Classify_RateLimitedByDefault_WaitFromRetryAfter(string header, string value, int seconds)
    {
        var verdict = Classify(Provider("[]"), 429, null, (header, value));

        Assert.Equal(TimeSpan.FromSeconds(seconds), verdict.Wait);
    }

    [Fact]
    public void Classify_RateLimitedWithoutRetryAfter_WaitFromTheMappedResetHeader()
    {
        var provider = Provider("[]", """{ "limit": { "header": "X-Limit" }, "remaining": { "header": "X-Left" }, "reset": { "header": "X-Reset", "unit": "epoch_seconds" } }""");
        var reset = Now.AddSeconds(42).ToUnixTimeSeconds().ToString();

        var verdict = Classify(provider, 429, null, ("X-Reset", reset));

        Assert.Equal(TimeSpan.FromSeconds(42), verdict.Wait);
    }
}
