using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Api.Tests.Infrastructure;

/// <summary>Small HTTP helpers shared by the suites.</summary>
public static class TestHttp
{
    public static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: " +
                await response.Content.ReadAsStringAsync());
    }

    public static HttpContent Json(string text, string contentType = "application/json") =>
        Raw(Encoding.UTF8.GetBytes(text), contentType);

    public static HttpContent Json(JsonNode node) => Json(node.ToJsonString());

    public static HttpContent Raw(byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    public static HttpContent Ndjson(IEnumerable<JsonNode> events) =>
        Json(string.Join("\n", events.Select(e => e.ToJsonString())) + "\n", "application/x-ndjson");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The one URL scheme of every problem's <c>type</c>: an RFC section on www.rfc-editor.org.</summary>
    public const string ProblemTypePrefix = "https://www.rfc-editor.org/rfc/rfc";

    /// <summary>
    /// Asserts an RFC 9457 problem response with <paramref name="status"/> in the one shape every error has: status,
    /// title, detail, type (<see cref="ProblemTypePrefix"/>), traceId, and, when present, errors each naming a field
    /// with a message. Returns the document.
    /// </summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), body);
        Assert.False(string.IsNullOrEmpty(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null), $"no detail: {body}");
        Assert.StartsWith(ProblemTypePrefix, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.TryGetProperty("traceId", out var trace) ? trace.GetString() : null), $"no traceId: {body}");
        if (problem.TryGetProperty("errors", out var errors))
        {
            Assert.NotEmpty(errors.EnumerateArray());
            Assert.All(errors.EnumerateArray(), e =>
            {
                Assert.False(string.IsNullOrEmpty(e.GetProperty("field").GetString()), body);
                Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString()), body);
                Assert.Equal(JsonValueKind.Number, e.GetProperty("index").ValueKind);
            });
            Assert.Equal(JsonValueKind.Number, problem.GetProperty("errorCount").ValueKind);
        }
        return problem;
    }

    /// <summary>Asserts a problem whose <c>errors</c> name <paramref name="field"/>; returns the document.</summary>
    public static async Task<JsonElement> AssertProblemWithFieldAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var problem = await AssertProblemAsync(response, status);
        Assert.True(problem.TryGetProperty("errors", out var errors), $"no errors naming '{field}': {problem}");
        Assert.Contains(errors.EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        return problem;
    }
}

/// <summary>Builds valid wire-format events that tests then break in one specific way.</summary>
public static class TestEvents
{
    public static JsonObject Valid(string account = "acct-1", string provider = "salesforce", Guid? id = null,
        DateTimeOffset? occurredAt = null) => new()
    {
        ["id"] = (id ?? Guid.NewGuid()).ToString(),
        ["kind"] = "request",
        ["occurredAt"] = (occurredAt ?? DateTimeOffset.UtcNow.AddMinutes(-10)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"),
        ["account"] = account,
        ["provider"] = provider,
        ["resource"] = "contacts",
        ["method"] = "GET",
        ["status"] = 200,
        ["latencyMs"] = 123,
        ["records"] = 100,
        ["rateLimitRemaining"] = 10,
        ["rateLimitLimit"] = 100,
    };

    public static JsonObject With(this JsonObject e, Action<JsonObject> change)
    {
        change(e);
        return e;
    }

    public static JsonArray Array(params JsonNode[] events) => new(events);
}
