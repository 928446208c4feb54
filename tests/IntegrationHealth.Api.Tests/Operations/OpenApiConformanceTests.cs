using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Api.Tests.Operations;

/// <summary>
/// The OpenAPI document checked by an independent validator (tests/openapi/check.mjs: the official OpenAPI schema via
/// @seriousme/openapi-schema-validator, and JSON Schema 2020-12 via Ajv), and real requests and responses of every
/// endpoint, successes and failures, checked against the document's schemas: the document says what the API does.
/// </summary>
public sealed class OpenApiConformanceTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    private const string Scripts = "openapi";

    [NodeFact(Scripts)]
    public async Task Document_IsValidOpenApi_AndRealExchangesMatchIt()
    {
        var admin = await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin);
        var readOnly = await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Read);
        var recorder = new ExchangeRecorder();

        // Every protected endpoint, as the auth and isolation suites call them.
        foreach (var call in EndpointCatalog.Protected)
        {
            using var response = await Send(recorder, admin, call.Request());
        }
        // Failures each endpoint documents: 400, 401, 403, 404, 413, 415, and the probes.
        var tooMany = new JsonArray([.. Enumerable.Range(0, 10_001).Select(_ => (JsonNode)new JsonObject())]);
        HttpRequestMessage[] failures =
        [
            Post("/v1/events", TestEvents.Array(TestEvents.Valid().With(e => e["status"] = "200"))),
            Post("/v1/events", tooMany),
            new(HttpMethod.Post, "/v1/events") { Content = TestHttp.Json("[]", "text/plain") },
            Post("/v1/accounts", new JsonArray(new JsonObject { ["externalId"] = "x" })),
            Post("/v1/connections", new JsonArray(new JsonObject { ["externalId"] = "c", ["account"] = "nobody", ["provider"] = "salesforce" })),
            Post("/v1/providers", new JsonArray(new JsonObject { ["key"] = "salesforce", ["name"] = "Not the platform's" })),
            Post("/v1/keys", new JsonObject { ["scopes"] = new JsonArray("root") }),
            new(HttpMethod.Get, "/v1/accounts?limit=0"),
            new(HttpMethod.Get, "/v1/accounts/no-such-account"),
            new(HttpMethod.Get, "/v1/accounts/no-such-account/events"),
            new(HttpMethod.Get, "/v1/connections?account=no-such-account"),
            new(HttpMethod.Get, "/v1/support-tickets?cursor=%25%25"),
            new(HttpMethod.Delete, "/v1/keys/2147483647"),
            new(HttpMethod.Put, "/v1/status-page") { Content = TestHttp.Json("{\"slug\":\"Not A Slug\",\"name\":\"x\"}") },
            new(HttpMethod.Put, "/v1/status-page") { Content = TestHttp.Json("{\"slug\":\"x\",\"name\":\"" + new string('a', 70_000) + "\"}") },
            new(HttpMethod.Get, "/pages/catalogue-page/api/v2/summary.json"),
            new(HttpMethod.Get, "/pages/catalogue-page/api/v2/incidents/unresolved.json"),
            new(HttpMethod.Get, "/pages/no-such-page/api/v2/status.json"),
            new(HttpMethod.Get, "/pages/catalogue-page"),
            new(HttpMethod.Get, "/pages/catalogue-page/history.atom"),
            new(HttpMethod.Get, "/pages/catalogue-page/history.rss"),
            new(HttpMethod.Get, "/pages/no-such-page/history.rss"),
            new(HttpMethod.Get, "/pages/catalogue-page/badge.svg?metric=uptime&window=7d"),
            new(HttpMethod.Get, "/pages/catalogue-page/badge.svg?window=1y&metric=uptime"),
            new(HttpMethod.Get, "/pages/catalogue-page/components/999999/badge.svg"),
            new(HttpMethod.Get, "/v1/accounts/no-such-account/notices"),
            new(HttpMethod.Get, "/v1/connect/callback?code=x&state=forged"),
            new(HttpMethod.Get, "/v1/connect/no-such-provider?account=acct-1&connection=c&redirect_uri=https%3A%2F%2Fp.example%2F"),
        ];
        foreach (var request in failures)
        {
            using var response = await Send(recorder, admin, request);
        }
        using (var anonymous = await Send(recorder, null, new HttpRequestMessage(HttpMethod.Get, "/v1/accounts"))) { }
        using (var forbidden = await Send(recorder, readOnly, Post("/v1/events", TestEvents.Array(TestEvents.Valid())))) { }
        using (var live = await Send(recorder, null, new HttpRequestMessage(HttpMethod.Get, "/healthz"))) { }
        using (var ready = await Send(recorder, null, new HttpRequestMessage(HttpMethod.Get, "/readyz"))) { }
        Assert.Contains(recorder.Exchanges, e => (int)e["status"]! == 413);
        Assert.Contains(recorder.Exchanges, e => (int)e["status"]! == 415);

        var directory = Directory.CreateTempSubdirectory("ih-openapi-");
        try
        {
            var documentPath = Path.Combine(directory.FullName, "openapi.json");
            await File.WriteAllTextAsync(documentPath, await fixture.Host.Client().GetStringAsync("/openapi/v1.json"));
            var exchangesPath = Path.Combine(directory.FullName, "exchanges.json");
            await File.WriteAllTextAsync(exchangesPath, new JsonArray([.. recorder.Exchanges]).ToJsonString());

            var (exitCode, output) = NodeScripts.Run(Scripts, TimeSpan.FromMinutes(2), "check.mjs", documentPath, exchangesPath);

            // A status the document does not list is often a server error: its log says which.
            Assert.True(exitCode == 0, output + "\nserver errors:\n" + string.Join("\n",
                fixture.Host.LogLines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))));
            Assert.Contains($"checked {recorder.Exchanges.Count} exchanges", output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [NodeFact(Scripts)]
    public async Task Checker_UndocumentedStatusOrWrongBody_IsReported()
    {
        // The checker must be able to fail: a 418 no operation documents, and a list whose items break their schema.
        var directory = Directory.CreateTempSubdirectory("ih-openapi-");
        try
        {
            var documentPath = Path.Combine(directory.FullName, "openapi.json");
            await File.WriteAllTextAsync(documentPath, await fixture.Host.Client().GetStringAsync("/openapi/v1.json"));
            var exchangesPath = Path.Combine(directory.FullName, "exchanges.json");
            var wrong = new JsonArray(
                new JsonObject { ["method"] = "GET", ["path"] = "/v1/accounts", ["status"] = 418 },
                new JsonObject
                {
                    ["method"] = "GET", ["path"] = "/v1/accounts", ["status"] = 200, ["responseContentType"] = "application/json",
                    ["responseBody"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["externalId"] = 42 }) },
                });
            await File.WriteAllTextAsync(exchangesPath, wrong.ToJsonString());

            var (exitCode, output) = NodeScripts.Run(Scripts, TimeSpan.FromMinutes(2), "check.mjs", documentPath, exchangesPath);

            Assert.Equal(1, exitCode);
            Assert.Contains("#0 GET /v1/accounts -> 418: status not documented", output);
            Assert.Contains("#1 GET /v1/accounts -> 200: response body does not match its schema", output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Every property of each input schema set to a valid value (a new property must be added here).</summary>
    private static JsonObject CompleteInput(string schema)
    {
        var at = DateTimeOffset.UtcNow.AddHours(-2);
        string Instant(TimeSpan offset) => (at + offset).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        return schema switch
        {
            "EventInput" => TestEvents.Valid().With(e =>
            {
                e["connection"] = "conn-1";
                e["outcome"] = "success";
                e["errorClass"] = "none";
                e["userId"] = "user-1";
                e["endpoint"] = "/services/data/v59.0/sobjects/{type}/{id}";
                e["errorMessage"] = "Field 'Email' expected a string";
                e["field"] = "Contact.Email";
                e["recordId"] = "003XX000004TmiQ";
            }),
            "AccountInput" => new JsonObject
            {
                ["externalId"] = "acct-schema", ["name"] = "Schema Inc", ["arr"] = 12000.5, ["segment"] = "mid_market", ["plan"] = "pro",
                ["seats"] = 40, ["csm"] = "dana", ["createdAt"] = Instant(TimeSpan.Zero), ["churnedAt"] = Instant(TimeSpan.FromHours(1)),
            },
            "ConnectionInput" => new JsonObject
            {
                ["externalId"] = "conn-schema", ["account"] = "acct-1", ["provider"] = "salesforce", ["status"] = "active",
                ["authKind"] = "oauth2", ["scopes"] = "api refresh_token", ["instanceUrl"] = "https://acme.my.salesforce.com",
                ["apiVersion"] = "v59.0", ["lastSyncAt"] = Instant(TimeSpan.Zero), ["syncCursor"] = "c-1",
                ["createdAt"] = Instant(TimeSpan.FromHours(-1)),
            },
            "SupportTicketInput" => new JsonObject
            {
                ["externalId"] = "t-schema", ["account"] = "acct-1", ["provider"] = "salesforce", ["subject"] = "Sync stalled",
                ["priority"] = "high", ["openedAt"] = Instant(TimeSpan.Zero), ["closedAt"] = Instant(TimeSpan.FromHours(1)),
                ["category"] = "integration", ["status"] = "closed", ["firstResponseAt"] = Instant(TimeSpan.FromMinutes(10)),
                ["resolvedAt"] = Instant(TimeSpan.FromMinutes(30)),
            },
            "ProviderInput" => new JsonObject { ["key"] = "schema-provider", ["name"] = "Schema Provider", ["category"] = "erp" },
            "SurveyResponseInput" => new JsonObject
            {
                ["externalId"] = "s-schema", ["account"] = "acct-1", ["userId"] = "user-1", ["score"] = 7, ["comment"] = "ok",
                ["respondedAt"] = Instant(TimeSpan.Zero),
            },
            "CreateApiKeyRequest" => new JsonObject { ["scopes"] = new JsonArray("read"), ["name"] = "schema test" },
            _ => throw new ArgumentOutOfRangeException(nameof(schema), schema, null),
        };
    }

    [Theory]
    [InlineData("EventInput", "/v1/events", true)]
    [InlineData("AccountInput", "/v1/accounts", true)]
    [InlineData("ConnectionInput", "/v1/connections", true)]
    [InlineData("SupportTicketInput", "/v1/support-tickets", true)]
    [InlineData("SurveyResponseInput", "/v1/survey-responses", true)]
    [InlineData("ProviderInput", "/v1/providers", true)]
    [InlineData("CreateApiKeyRequest", "/v1/keys", false)]
    public async Task InputSchema_RequiredProperties_AreExactlyTheOnesTheApiRequires(string schema, string path, bool batch)
    {
        var admin = await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin);
        using var document = JsonDocument.Parse(await fixture.Host.Client().GetStringAsync("/openapi/v1.json"));
        var definition = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema);
        var properties = definition.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        var required = definition.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : [];
        Assert.Equal(properties.Order(), CompleteInput(schema).Select(p => p.Key).Order()); // the complete input covers the schema

        using var client = fixture.Host.Client(admin);
        using (var complete = await client.PostAsync(path, TestHttp.Json(batch ? new JsonArray(CompleteInput(schema)) : CompleteInput(schema))))
        {
            Assert.True(complete.IsSuccessStatusCode, $"{schema} with every property: {(int)complete.StatusCode} {await complete.Content.ReadAsStringAsync()}");
        }
        foreach (var property in properties)
        {
            var item = CompleteInput(schema);
            item.Remove(property);
            using var response = await client.PostAsync(path, TestHttp.Json(batch ? new JsonArray(item) : item));
            var body = await response.Content.ReadAsStringAsync();
            if (required.Contains(property))
                Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest && body.Contains($"'{property}'", StringComparison.Ordinal),
                    $"{schema}.{property} is documented as required, but leaving it out gave {(int)response.StatusCode}: {body}");
            else
                Assert.True(response.IsSuccessStatusCode, $"{schema}.{property} is documented as optional, but leaving it out gave {(int)response.StatusCode}: {body}");
        }
    }

    private static HttpRequestMessage Post(string path, JsonNode body) => new(HttpMethod.Post, path) { Content = TestHttp.Json(body) };

    private async Task<HttpResponseMessage> Send(ExchangeRecorder recorder, string? key, HttpRequestMessage request)
    {
        using var client = new HttpClient(recorder, disposeHandler: false) { BaseAddress = fixture.Host.BaseAddress };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }

    /// <summary>Keeps each exchange as the checker reads it: method, path, status, media types and JSON bodies.</summary>
    private sealed class ExchangeRecorder() : DelegatingHandler(new HttpClientHandler { AllowAutoRedirect = false })
    {
        public List<JsonObject> Exchanges { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var requestText = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            var responseText = await response.Content.ReadAsStringAsync(cancellationToken);
            Exchanges.Add(new JsonObject
            {
                ["method"] = request.Method.Method,
                ["path"] = request.RequestUri!.PathAndQuery,
                ["status"] = (int)response.StatusCode,
                ["requestContentType"] = request.Content?.Headers.ContentType?.ToString(),
                ["requestBody"] = AsJson(request.Content?.Headers.ContentType?.MediaType, requestText),
                ["responseContentType"] = response.Content.Headers.ContentType?.ToString(),
                ["responseBody"] = AsJson(response.Content.Headers.ContentType?.MediaType, responseText),
            });
            return response;
        }

        private static JsonNode? AsJson(string? mediaType, string? text)
        {
            if (string.IsNullOrEmpty(text) || mediaType is null || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)) return null;
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return JsonValue.Create(text); // a body that claims JSON but is not: the checker reports it against the schema
            }
        }
    }
}
