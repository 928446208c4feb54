using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Api.Tests.Operations;

/// <summary>Probes, metrics, the OpenAPI document and the Hangfire dashboard's access rules.</summary>
public sealed partial class OperationsTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    [Fact]
    public async Task Healthz_Anonymous_AnswersOk()
    {
        using var client = fixture.Host.Client();
        Assert.Equal("{\"status\":\"ok\"}", await client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task Readyz_MigratedDatabase_AnswersReady()
    {
        using var client = fixture.Host.Client();
        Assert.Equal("{\"status\":\"ready\"}", await client.GetStringAsync("/readyz"));
        // Probes run every few seconds: the store check must not log a warning each time (it did: an unordered First).
        Assert.DoesNotContain(fixture.Host.LogLines, l => l.Contains("[10103]", StringComparison.Ordinal) || l.Contains("'First'/'FirstOrDefault'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_AfterIngestion_ExposesOurCountersAndAspNetCoreMetrics()
    {
        using var client = fixture.Host.Client(fixture.Key);
        await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid(), TestEvents.Valid()))));
        await client.PostAsync("/v1/events", TestHttp.Json("[1]"));

        // The exporter caches a scrape briefly; poll until our counters show up rather than sleeping a fixed time.
        string text = "";
        for (var attempt = 0; attempt < 50 && !text.Contains("integrationhealth_batches_rejected", StringComparison.Ordinal); attempt++)
        {
            text = await fixture.Host.Client().GetStringAsync("/metrics");
            if (!text.Contains("integrationhealth_batches_rejected", StringComparison.Ordinal)) await Task.Delay(200);
        }
        Assert.Contains("integrationhealth_events_accepted", text);
        Assert.Contains("integrationhealth_events_batch_size", text);
        Assert.Contains("integrationhealth_batches_rejected", text);
        Assert.Contains("http_server_request_duration", text);
    }

    [Fact]
    public async Task OpenApi_Document_CoversEveryMappedEndpoint()
    {
        using var client = fixture.Host.Client();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var endpoints = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .ToList();
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} endpoints found");
        foreach (var endpoint in endpoints)
        {
            var path = Normalize(endpoint.RoutePattern.RawText!);
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} ({endpoint.DisplayName}) is missing from the OpenAPI document");
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out _), $"{method} {path} is missing from the OpenAPI document");
        }

        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.True(schemes.TryGetProperty("ApiKeyBearer", out _));
        Assert.True(schemes.TryGetProperty("ApiKeyHeader", out _));
        Assert.True(paths.GetProperty("/v1/events").GetProperty("post").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task OpenApi_InputSchemas_ListExactlyThePropertiesTheParsersAccept()
    {
        using var client = fixture.Host.Client();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        string[] Properties(string schema) => [.. schemas.GetProperty(schema).GetProperty("properties").EnumerateObject().Select(p => p.Name).Order()];
        Assert.Equal(IntegrationHealth.Ingestion.Events.EventBatchParser.FieldNames.Skip(1).Order(), Properties("EventInput"));
        Assert.Equal(IntegrationHealth.Ingestion.Accounts.AccountUpserts.Fields.Order(), Properties("AccountInput"));
        Assert.Equal(IntegrationHealth.Ingestion.Connections.ConnectionUpserts.Fields.Order(), Properties("ConnectionInput"));
        Assert.Equal(IntegrationHealth.Ingestion.SupportTickets.SupportTicketUpserts.Fields.Order(), Properties("SupportTicketInput"));
        Assert.Equal(IntegrationHealth.Ingestion.SurveyResponses.SurveyResponseUpserts.Fields.Order(), Properties("SurveyResponseInput"));
        Assert.Equal(IntegrationHealth.Ingestion.Providers.ProviderUpserts.Fields.Order(), Properties("ProviderInput"));
    }

    /// <summary><c>/v1/keys/{id:int}</c> → <c>/v1/keys/{id}</c>; <c>/hangfire/{**path}</c> → <c>/hangfire/{path}</c>.</summary>
    private static string Normalize(string pattern)
    {
        var path = RouteParameter().Replace(pattern, m => "{" + m.Groups[1].Value + "}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    [GeneratedRegex(@"\{\**([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    /// <summary>Deny by default: without Hangfire:DashboardTenant only platform keys open the dashboard, not a tenant's admin key.</summary>
    [Fact]
    public async Task HangfireDashboard_ByScope_OnlyPlatformKeysOpenIt()
    {
        var read = await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Read | ApiKeyScopes.Ingest);
        var admin = await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin);
        var platform = await fixture.Host.CreateKeyAsync("ops", ApiKeyScopes.Platform);

        using var anonymous = await fixture.Host.Client().GetAsync("/hangfire");
        using var notAdmin = await fixture.Host.Client(read).GetAsync("/hangfire");
        using var tenantAdmin = await fixture.Host.Client(admin).GetAsync("/hangfire");
        using var tenantAdminPage = await fixture.Host.Client(admin).GetAsync("/hangfire/recurring");
        using var ok = await fixture.Host.Client(platform).GetAsync("/hangfire");
        using var okPage = await fixture.Host.Client(platform).GetAsync("/hangfire/recurring");
        using var platformOnApi = await fixture.Host.Client(platform).GetAsync("/v1/accounts");

        await TestHttp.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        await TestHttp.AssertProblemAsync(notAdmin, HttpStatusCode.Forbidden);
        await TestHttp.AssertProblemAsync(tenantAdmin, HttpStatusCode.Forbidden);
        await TestHttp.AssertProblemAsync(tenantAdminPage, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("text/html", ok.Content.Headers.ContentType?.MediaType);
        Assert.Contains("purge-revoked-api-keys", await okPage.Content.ReadAsStringAsync());
        await TestHttp.AssertProblemAsync(platformOnApi, HttpStatusCode.Forbidden); // platform implies no tenant scope
    }

    [Fact]
    public async Task HangfireLogin_TenantAdminKey_Answers403PageWithoutCookie()
    {
        var admin = await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin);
        using var response = await fixture.Host.Client().PostAsync("/hangfire/login", new FormUrlEncodedContent([new("key", admin)]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Contains("platform", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HangfireDashboard_BrowserSignIn_SetsHttpOnlyCookieThatEndsWithRevocation()
    {
        var admin = await fixture.Host.CreateKeyAsync("ops", ApiKeyScopes.Platform, "browser");
        var opsAdmin = await fixture.Host.CreateKeyAsync("ops", ApiKeyScopes.Admin); // revokes it: the tenant's keys are its admin's
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = fixture.Host.BaseAddress };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var redirected = await browser.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/hangfire/login", redirected.Headers.Location?.OriginalString);
        using var form = await browser.GetAsync("/hangfire/login");
        Assert.Contains("<form", await form.Content.ReadAsStringAsync());

        using var wrong = await browser.PostAsync("/hangfire/login", new FormUrlEncodedContent([new("key", "ih_nope")]));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var signIn = await browser.PostAsync("/hangfire/login", new FormUrlEncodedContent([new("key", admin)]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(admin[3..], setCookie, StringComparison.Ordinal);

        using var dashboard = await browser.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        var id = await fixture.Host.QueryAsync(db => Task.FromResult(db.ApiKeys.Single(k => k.Name == "browser").Id));
        using var revoke = await fixture.Host.Client(opsAdmin).DeleteAsync($"/v1/keys/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var afterRevoke = await browser.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task HangfireLogin_ReadKey_Answers403Page()
    {
        var read = await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Read);
        using var response = await fixture.Host.Client().PostAsync("/hangfire/login", new FormUrlEncodedContent([new("key", read)]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("/v1/nothing-here")]
    [InlineData("/v1/accounts/acct-1/nope")]
    public async Task UnknownRoute_Answers404Problem(string path)
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.GetAsync(path);
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethod_Answers405Problem()
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.PutAsync("/v1/events", TestHttp.Json("[]"));
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task PostEvents_EmptyArray_AcceptsNothing()
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.PostAsync("/v1/events", TestHttp.Json("[]"));
        Assert.Equal("{\"accepted\":0,\"duplicates\":0}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/v1/accounts?limit=abc")]
    [InlineData("/v1/accounts?limit=0")]
    [InlineData("/v1/accounts?limit=1001")]
    [InlineData("/v1/accounts?cursor=%%%")]
    [InlineData("/v1/accounts?cursor=bm90LWEtbnVtYmVy")]
    [InlineData("/v1/accounts/acct-1/events?kind=click")]
    [InlineData("/v1/accounts/acct-1/events?from=yesterday")]
    [InlineData("/v1/accounts/acct-1/events?from=2025-06-02T00:00:00Z&to=2025-06-01T00:00:00Z")]
    [InlineData("/v1/accounts/acct-1/events?limit=99999999999999")]
    public async Task Reads_BadQuery_Answers400Problem(string path)
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.GetAsync(path);
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}

/// <summary>Readiness reports 503 (a problem document) when the database is unusable.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_UnmigratedDatabase_Answers503Problem()
    {
        await using var host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(),
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false", ["Roles"] = "Web" });
        using var client = host.Client();
        using var response = await client.GetAsync("/readyz");
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("{\"status\":\"ok\"}", await client.GetStringAsync("/healthz"));
    }
}

/// <summary>With <c>Hangfire:DashboardTenant</c> set, that tenant's admin keys open the dashboard too (and platform keys still do).</summary>
public sealed class DashboardTenantTests
{
    [Fact]
    public async Task HangfireDashboard_DashboardTenantSet_OnlyThatTenantsAdminAndPlatformKeysOpenIt()
    {
        await using var host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(),
            new Dictionary<string, string?> { ["Hangfire:DashboardTenant"] = "ops" });
        var operatorKey = await host.CreateKeyAsync("ops", ApiKeyScopes.Admin);
        var operatorReader = await host.CreateKeyAsync("ops", ApiKeyScopes.Read);
        var customerAdmin = await host.CreateKeyAsync("acme", ApiKeyScopes.Admin);
        var platform = await host.CreateKeyAsync("acme", ApiKeyScopes.Platform);

        using var allowed = await host.Client(operatorKey).GetAsync("/hangfire");
        using var platformAllowed = await host.Client(platform).GetAsync("/hangfire");
        using var forbidden = await host.Client(customerAdmin).GetAsync("/hangfire");
        using var readerForbidden = await host.Client(operatorReader).GetAsync("/hangfire");
        using var login = await host.Client().PostAsync("/hangfire/login", new FormUrlEncodedContent([new("key", customerAdmin)]));
        using var noRedirects = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(noRedirects) { BaseAddress = host.BaseAddress };
        using var operatorLogin = await browser.PostAsync("/hangfire/login", new FormUrlEncodedContent([new("key", operatorKey)]));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, platformAllowed.StatusCode);
        await TestHttp.AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
        await TestHttp.AssertProblemAsync(readerForbidden, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.False(login.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Redirect, operatorLogin.StatusCode);
    }

    [Fact]
    public async Task HangfireDashboard_DemoDefaults_LetTheDemoTenantsAdminInButNoOtherTenant()
    {
        // What the demo verb builds its host with; serve never has it.
        await using var host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(), configure: IntegrationHealth.Api.Hosting.ApiHost.DemoDefaults("demo"));
        var demo = await host.CreateKeyAsync("demo", ApiKeyScopes.Admin);
        var other = await host.CreateKeyAsync("acme", ApiKeyScopes.Admin);

        using var demoResponse = await host.Client(demo).GetAsync("/hangfire");
        using var otherResponse = await host.Client(other).GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, demoResponse.StatusCode);
        await TestHttp.AssertProblemAsync(otherResponse, HttpStatusCode.Forbidden);
    }
}
