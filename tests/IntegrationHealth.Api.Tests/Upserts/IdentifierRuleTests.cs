using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Upserts;

/// <summary>
/// The one rule for identifiers (no control characters, not '.' or '..'; everything else, and every accepted id is
/// addressable as a percent-encoded path segment) and the free-text rule (newlines yes, NUL no), on SQLite and on
/// PostgreSQL, whose text cannot hold NUL: a refused value is a 400 naming its field, never a 500, and stores nothing.
/// </summary>
public abstract class IdentifierRuleSuite<TFixture>(TFixture fixture) where TFixture : ServerHostFixture
{
    private ApiTestHost Host => fixture.Host;

    /// <summary>Ids that are awkward in a URL but are identifiers all the same.</summary>
    public static readonly string[] AwkwardIds =
    [
        "a/b", "/leading-slash", "trailing-slash/", "a//b", "q?x=1&y=2", "frag#1", "100%", "50%25", "a%2Fb", "%2e%2E", "%00x",
        "with space", " leading space", "trailing space ", "plus+sign", "back\\slash", "semi;colon", "@at:colon", "~tilde",
        "'quote\"", "<angle>", "...", "a..b", ".hidden", "ünïcødé", "日本語", "emoji-😀", "e\u0301", "line\u2028sep", "zero\u200Bwidth",
    ];

    private async Task<HttpClient> TenantClientAsync(string tenant) =>
        Host.Client(await Host.CreateKeyAsync(tenant, ApiKeyScopes.Ingest | ApiKeyScopes.Read));

    [StoreFact]
    public async Task AwkwardIds_AreAcceptedAndEachIsFoundAtItsPercentEncodedPath()
    {
        using var client = await TenantClientAsync("awkward-ids");
        using var upsert = await client.PostAsJsonAsync("/v1/accounts", AwkwardIds.Select(id => new { externalId = id, name = "Account " + id }));
        await TestHttp.EnsureSuccessAsync(upsert);
        Assert.Equal($"{{\"inserted\":{AwkwardIds.Length},\"updated\":0}}", await upsert.Content.ReadAsStringAsync());

        foreach (var id in AwkwardIds)
        {
            var path = "/v1/accounts/" + Uri.EscapeDataString(id);
            using var one = await client.GetAsync(path);
            Assert.True(one.StatusCode == HttpStatusCode.OK, $"GET {path} for id '{id}': {(int)one.StatusCode} {await one.Content.ReadAsStringAsync()}");
            Assert.Equal(id, (await TestHttp.ReadJsonAsync(one)).GetProperty("externalId").GetString());
            using var events = await client.GetAsync(path + "/events");
            Assert.True(events.StatusCode == HttpStatusCode.OK, $"GET {path}/events for id '{id}': {(int)events.StatusCode}");
        }
    }

    [StoreFact]
    public async Task AwkwardIds_WorkAsReferencesInEventsUpsertsAndFilters()
    {
        using var client = await TenantClientAsync("awkward-refs");
        const string account = "crm/acct?1#2 %ü";
        const string connection = "conn/1?x#y";
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/accounts", new[] { new { externalId = account, name = "A" } }));
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/connections",
            new[] { new { externalId = connection, account, provider = "salesforce" } }));
        var ev = TestEvents.Valid(account).With(e => { e["connection"] = connection; e["resource"] = "/services/data/v59.0/query?q=SELECT"; e["userId"] = "user@example.com/ü"; });
        await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(ev))));

        var events = await client.GetFromJsonAsync<JsonObject>("/v1/accounts/" + Uri.EscapeDataString(account) + "/events");
        var stored = Assert.Single(events!["items"]!.AsArray())!;
        Assert.Equal(connection, stored["connection"]!.GetValue<string>());
        Assert.Equal("/services/data/v59.0/query?q=SELECT", stored["resource"]!.GetValue<string>());
        var connections = await client.GetFromJsonAsync<JsonObject>("/v1/connections?account=" + Uri.EscapeDataString(account));
        Assert.Equal(connection, Assert.Single(connections!["items"]!.AsArray())!["externalId"]!.GetValue<string>());
    }

    /// <summary>Control characters (C0, DEL, C1) and the dot segments, which no URL path can address.</summary>
    public static readonly string[] RefusedIds = ["a\0b", "\0", "cr\r", "lf\n", "crlf\r\nX-Injected: 1", "esc\u001b[31m", "tab\t", "del\u007f", "nel\u0085", "c1\u009b", ".", ".."];

    [StoreFact]
    public async Task RefusedIds_Answer400NamingTheFieldOnEveryWriteAndStoreNothing()
    {
        using var client = await TenantClientAsync("refused-ids");
        var logMark = Host.LogLines.Count; // start-up (EF probing an empty database) may log errors of its own
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/accounts", new[] { new { externalId = "good", name = "Good" } }));
        var before = await CountsAsync();
        foreach (var bad in RefusedIds)
        {
            var label = Uri.EscapeDataString(bad);
            await AssertRefusedAsync(client, "/v1/accounts", new[] { new { externalId = "ok", name = "n" }, new { externalId = bad, name = "n" } }, "externalId", label);
            await AssertRefusedAsync(client, "/v1/connections", new[] { new { externalId = "c", account = bad, provider = "salesforce" } }, "account", label);
            await AssertRefusedAsync(client, "/v1/connections", new[] { new { externalId = bad, account = "good", provider = "salesforce" } }, "externalId", label);
            await AssertRefusedAsync(client, "/v1/support-tickets", new[] { new { externalId = "t", account = "good", provider = bad, subject = "s", openedAt = "2025-06-01T10:00:00Z" } }, "provider", label);
            await AssertRefusedAsync(client, "/v1/survey-responses", new[] { new { externalId = "s", account = "good", userId = bad, score = 5, respondedAt = "2025-06-01T10:00:00Z" } }, "userId", label);
            await AssertRefusedAsync(client, "/v1/events", new[] { TestEvents.Valid("good").With(e => e["resource"] = bad) }, "resource", label);
            await AssertRefusedAsync(client, "/v1/events", new[] { TestEvents.Valid(bad) }, "account", label);
            await AssertRefusedAsync(client, "/v1/events", new[] { TestEvents.Valid("good").With(e => e["endpoint"] = bad) }, "endpoint", label);
            await AssertRefusedAsync(client, "/v1/providers", new[] { new { key = bad, name = "n" } }, "key", label);
        }
        Assert.Equal(before, await CountsAsync());
        var errors = Host.LogLines.Skip(logMark).Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [StoreFact]
    public async Task FreeText_KeepsNewlinesButRefusesNul()
    {
        using var client = await TenantClientAsync("free-text");
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/accounts", new[] { new { externalId = "acct", name = "Two\nlines\tand a tab" } }));
        var before = await CountsAsync();

        await AssertRefusedAsync(client, "/v1/accounts", new[] { new { externalId = "nul-name", name = "a\0b" } }, "name", "NUL");
        await AssertRefusedAsync(client, "/v1/accounts", new[] { new { externalId = "esc-csm", name = "n", csm = "\u001b]0;title\u0007" } }, "csm", "ESC");
        await AssertRefusedAsync(client, "/v1/support-tickets", new[] { new { externalId = "t", account = "acct", subject = "\0", openedAt = "2025-06-01T10:00:00Z" } }, "subject", "NUL");
        await AssertRefusedAsync(client, "/v1/survey-responses", new[] { new { externalId = "s", account = "acct", score = 1, comment = "bad\0", respondedAt = "2025-06-01T10:00:00Z" } }, "comment", "NUL");
        await AssertRefusedAsync(client, "/v1/connections", new[] { new { externalId = "c", account = "acct", provider = "salesforce", syncCursor = "cur\0sor" } }, "syncCursor", "NUL");
        await AssertRefusedAsync(client, "/v1/events", new[] { TestEvents.Valid("acct").With(e => { e["kind"] = "mapping_failure"; e["errorMessage"] = "a\0b"; }) }, "errorMessage", "NUL");
        await AssertRefusedAsync(client, "/v1/events", new[] { TestEvents.Valid("acct").With(e => { e["kind"] = "mapping_failure"; e["errorMessage"] = "c1 \u009b"; }) }, "errorMessage", "C1");
        // Longer than the column (PostgreSQL varchar(300) / varchar(100)): a 400, not the store's error.
        await AssertRefusedAsync(client, "/v1/accounts", new[] { new { externalId = "long", name = new string('n', 301) } }, "name", "long name");
        await AssertRefusedAsync(client, "/v1/accounts", new[] { new { externalId = "long", name = "n", plan = new string('p', 101) } }, "plan", "long plan");

        Assert.Equal(before, await CountsAsync());
        var stored = await client.GetFromJsonAsync<JsonObject>("/v1/accounts/acct");
        Assert.Equal("Two\nlines\tand a tab", stored!["name"]!.GetValue<string>());
    }

    [StoreFact]
    public async Task Reads_ControlCharacterInAnAccountFilter_Answer400NotAStoreError()
    {
        using var client = await TenantClientAsync("read-filters");
        foreach (var path in new[] { "/v1/connections?account=a%00b", "/v1/support-tickets?account=%0A", "/v1/survey-responses?account=x%1B" })
        {
            using var response = await client.GetAsync(path);
            await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.BadRequest, "account");
        }
        using var byId = await client.GetAsync("/v1/accounts/a%0Db");
        await TestHttp.AssertProblemWithFieldAsync(byId, HttpStatusCode.BadRequest, "externalId");
    }

    private static async Task AssertRefusedAsync(HttpClient client, string path, object body, string field, string label)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} with {field} = {label}: {(int)response.StatusCode} {text}");
        await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.BadRequest, field);
    }

    private Task<(int, int, int, int, int, int)> CountsAsync() => Host.QueryAsync(async db => (
        await db.Accounts.CountAsync(), await db.Connections.CountAsync(), await db.SupportTickets.CountAsync(),
        await db.SurveyResponses.CountAsync(), await db.TelemetryEvents.CountAsync(), await db.Providers.CountAsync()));
}

public sealed class SqliteIdentifierRuleTests(SqliteServerFixture fixture)
    : IdentifierRuleSuite<SqliteServerFixture>(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgresIdentifierRuleTests(PostgresServerFixture fixture)
    : IdentifierRuleSuite<PostgresServerFixture>(fixture), IClassFixture<PostgresServerFixture>, IRequiresPostgres;
