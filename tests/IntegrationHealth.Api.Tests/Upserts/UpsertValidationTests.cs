using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Upserts;

/// <summary>Bulk upserts validate every item strictly and are all-or-nothing; reads page and filter what they stored.</summary>
public sealed class UpsertValidationTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    private Task<(int Accounts, int Connections, int Tickets, int Responses, int Providers)> CountsAsync() => fixture.Host.QueryAsync(async db =>
        (await db.Accounts.CountAsync(), await db.Connections.CountAsync(), await db.SupportTickets.CountAsync(), await db.SurveyResponses.CountAsync(),
         await db.Providers.CountAsync()));

    public static TheoryData<string, string, string> InvalidBatches => new()
    {
        { "/v1/accounts", "{\"externalId\":\"x\"}", "name" },
        { "/v1/accounts", "{\"name\":\"no id\"}", "externalId" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"segment\":\"huge\"}", "segment" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"arr\":-1}", "arr" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"arr\":\"100\"}", "arr" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"seats\":1.5}", "seats" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"createdAt\":\"2025-01-01\"}", "createdAt" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"createdAt\":\"2025-02-01T00:00:00Z\",\"churnedAt\":\"2025-01-01T00:00:00Z\"}", "churnedAt" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"nmae\":\"typo\"}", "nmae" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\"},{\"externalId\":\"x\",\"name\":\"again\"}", "externalId" },
        { "/v1/accounts", "{\"externalId\":\"ok-1\",\"name\":\"fine\"},7", "$" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-404\",\"provider\":\"salesforce\"}", "account" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\",\"provider\":\"myspace\"}", "provider" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\",\"provider\":\"salesforce\",\"status\":\"broken\"}", "status" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\",\"provider\":\"salesforce\",\"authKind\":\"saml\"}", "authKind" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\",\"provider\":\"salesforce\",\"instanceUrl\":\"not a url\"}", "instanceUrl" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\",\"provider\":\"salesforce\",\"lastSyncAt\":\"2099-01-01T00:00:00Z\"}", "lastSyncAt" },
        { "/v1/support-tickets", "{\"externalId\":\"t\",\"account\":\"acct-1\",\"subject\":\"s\"}", "openedAt" },
        { "/v1/support-tickets", "{\"externalId\":\"t\",\"account\":\"acct-1\",\"subject\":\"s\",\"openedAt\":\"2025-06-01T10:00:00Z\",\"priority\":\"p0\"}", "priority" },
        { "/v1/support-tickets", "{\"externalId\":\"t\",\"account\":\"acct-1\",\"subject\":\"s\",\"openedAt\":\"2025-06-02T10:00:00Z\",\"closedAt\":\"2025-06-01T10:00:00Z\"}", "closedAt" },
        { "/v1/support-tickets", "{\"externalId\":\"t\",\"account\":\"acct-1\",\"subject\":\"s\",\"openedAt\":\"2025-06-01T10:00:00Z\",\"provider\":\"nope\"}", "provider" },
        { "/v1/survey-responses", "{\"externalId\":\"s\",\"account\":\"acct-1\",\"score\":11,\"respondedAt\":\"2025-06-01T10:00:00Z\"}", "score" },
        { "/v1/survey-responses", "{\"externalId\":\"s\",\"account\":\"acct-1\",\"score\":-1,\"respondedAt\":\"2025-06-01T10:00:00Z\"}", "score" },
        { "/v1/survey-responses", "{\"externalId\":\"s\",\"account\":\"acct-1\",\"respondedAt\":\"2025-06-01T10:00:00Z\"}", "score" },
        { "/v1/survey-responses", "{\"externalId\":\"s\",\"account\":\"acct-1\",\"score\":5}", "respondedAt" },
        // unpaired UTF-16 surrogate escapes, in values and property names (issue 13, item 3): 400, never 500
        { "/v1/accounts", "{\"externalId\":\"\\ud800\",\"name\":\"n\"}", "externalId" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\\udc00\"}", "name" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"segment\":\"\\ud800smb\"}", "segment" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"createdAt\":\"\\ud8002025-01-01T00:00:00Z\"}", "createdAt" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"\\ud800\":1,\"name\":\"n\"}", "\\ud800" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"\\udc00\\ud800\",\"provider\":\"salesforce\"}", "account" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\",\"provider\":\"salesforce\",\"syncCursor\":\"\\ud83d\"}", "syncCursor" },
        { "/v1/support-tickets", "{\"externalId\":\"t\",\"account\":\"acct-1\",\"subject\":\"\\udfff\",\"openedAt\":\"2025-06-01T10:00:00Z\"}", "subject" },
        { "/v1/support-tickets", "{\"externalId\":\"t\",\"account\":\"acct-1\",\"subject\":\"s\",\"openedAt\":\"2025-06-01T10:00:00Z\",\"priority\":\"\\ud800\"}", "priority" },
        { "/v1/survey-responses", "{\"externalId\":\"s\",\"account\":\"acct-1\",\"userId\":\"\\ud800\",\"score\":5,\"respondedAt\":\"2025-06-01T10:00:00Z\"}", "userId" },
        { "/v1/survey-responses", "{\"\\udbff\\u0041\":1,\"externalId\":\"s\",\"account\":\"acct-1\",\"score\":5,\"respondedAt\":\"2025-06-01T10:00:00Z\"}", "\\udbff\\u0041" },
        { "/v1/providers", "{\"key\":\"\\ud800\",\"name\":\"n\"}", "key" },
        { "/v1/providers", "{\"key\":\"p\",\"name\":\"n\\udc00\"}", "name" },
        { "/v1/providers", "{\"key\":\"p\",\"\\udc00\":1,\"name\":\"n\"}", "\\udc00" },
        // identifiers: no control characters, not '.' or '..'; free text: no NUL, ESC, … (item 7)
        { "/v1/accounts", "{\"externalId\":\"a\\u0000b\",\"name\":\"n\"}", "externalId" },
        { "/v1/accounts", "{\"externalId\":\"acct\\r\\n\",\"name\":\"n\"}", "externalId" },
        { "/v1/accounts", "{\"externalId\":\".\",\"name\":\"n\"}", "externalId" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"nul\\u0000name\"}", "name" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"csm\":\"\\u001b[2J\"}", "csm" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"" + new string('n', 301) + "\"}", "name" },
        { "/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\",\"plan\":\"" + new string('p', 101) + "\"}", "plan" },
        { "/v1/connections", "{\"externalId\":\"c\\u001b\",\"account\":\"acct-1\",\"provider\":\"salesforce\"}", "externalId" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\\u0000\",\"provider\":\"salesforce\"}", "account" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\",\"provider\":\"sales\\nforce\"}", "provider" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\",\"provider\":\"salesforce\",\"syncCursor\":\"abc\\u0000\"}", "syncCursor" },
        { "/v1/connections", "{\"externalId\":\"c\",\"account\":\"acct-1\",\"provider\":\"salesforce\",\"instanceUrl\":\"https://x.example/\\u0000\"}", "instanceUrl" },
        { "/v1/support-tickets", "{\"externalId\":\"t\\t1\",\"account\":\"acct-1\",\"subject\":\"s\",\"openedAt\":\"2025-06-01T10:00:00Z\"}", "externalId" },
        { "/v1/support-tickets", "{\"externalId\":\"t\",\"account\":\"acct-1\",\"subject\":\"a\\u0000b\",\"openedAt\":\"2025-06-01T10:00:00Z\"}", "subject" },
        { "/v1/support-tickets", "{\"externalId\":\"t\",\"account\":\"acct-1\",\"provider\":\"\\u0085\",\"subject\":\"s\",\"openedAt\":\"2025-06-01T10:00:00Z\"}", "provider" },
        { "/v1/survey-responses", "{\"externalId\":\"..\",\"account\":\"acct-1\",\"score\":5,\"respondedAt\":\"2025-06-01T10:00:00Z\"}", "externalId" },
        { "/v1/survey-responses", "{\"externalId\":\"s\",\"account\":\"acct-1\",\"userId\":\"u\\n\",\"score\":5,\"respondedAt\":\"2025-06-01T10:00:00Z\"}", "userId" },
        { "/v1/survey-responses", "{\"externalId\":\"s\",\"account\":\"acct-1\",\"score\":5,\"comment\":\"\\u0000\",\"respondedAt\":\"2025-06-01T10:00:00Z\"}", "comment" },
    };

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public async Task Upsert_InvalidItem_Answers400WithFieldAndStoresNothing(string path, string items, string field)
    {
        var before = await CountsAsync();
        using var client = fixture.Host.Client(fixture.Key);
        // A valid item first: all-or-nothing means it must not be stored either.
        var valid = path switch
        {
            "/v1/accounts" => "{\"externalId\":\"valid-first\",\"name\":\"ok\"}",
            "/v1/connections" => "{\"externalId\":\"valid-first\",\"account\":\"acct-1\",\"provider\":\"hubspot\"}",
            "/v1/support-tickets" => "{\"externalId\":\"valid-first\",\"account\":\"acct-1\",\"subject\":\"s\",\"openedAt\":\"2025-06-01T10:00:00Z\"}",
            "/v1/providers" => "{\"key\":\"valid-first\",\"name\":\"ok\"}",
            _ => "{\"externalId\":\"valid-first\",\"account\":\"acct-1\",\"score\":5,\"respondedAt\":\"2025-06-01T10:00:00Z\"}",
        };
        using var response = await client.PostAsync(path, TestHttp.Json("[" + valid + "," + items + "]"));

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field && e.GetProperty("index").GetInt32() >= 1);
        Assert.Equal(before, await CountsAsync());
        Assert.DoesNotContain(fixture.Host.LogLines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upsert_FreeTextWithNewlinesAndTabs_IsStoredAsSent()
    {
        using var client = fixture.Host.Client(fixture.Key);
        const string subject = "Sync broken\nsince Monday\r\n\tsee logs";
        const string comment = "Line one\nLine two";
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/support-tickets",
            new[] { new { externalId = "multi-line", account = "acct-2", subject, openedAt = "2025-06-01T10:00:00Z" } }));
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/survey-responses",
            new[] { new { externalId = "multi-line", account = "acct-2", score = 7, comment, respondedAt = "2025-06-01T10:00:00Z" } }));

        var tickets = await client.GetFromJsonAsync<JsonObject>("/v1/support-tickets?account=acct-2");
        var responses = await client.GetFromJsonAsync<JsonObject>("/v1/survey-responses?account=acct-2");
        Assert.Contains(tickets!["items"]!.AsArray(), t => t!["subject"]!.GetValue<string>() == subject);
        Assert.Contains(responses!["items"]!.AsArray(), r => r!["comment"]!.GetValue<string>() == comment);
    }

    [Theory]
    [InlineData("/v1/accounts", "{\"externalId\":\"x\",\"name\":\"n\"}")]
    [InlineData("/v1/connections", "")]
    [InlineData("/v1/support-tickets", "[")]
    [InlineData("/v1/survey-responses", "{}")]
    [InlineData("/v1/providers", "{\"key\":\"acme\",\"name\":\"Acme\"}")]
    public async Task Upsert_NotAJsonArray_Answers400(string path, string body)
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.PostAsync(path, TestHttp.Json(body));
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Upsert_NdjsonContentType_Answers415()
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.PostAsync("/v1/accounts", TestHttp.Json("{\"externalId\":\"x\",\"name\":\"n\"}", "application/x-ndjson"));
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task UpsertTicketsAndResponses_ThenList_ReturnsThemFilteredByAccount()
    {
        using var client = fixture.Host.Client(fixture.Key);
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/support-tickets", new object[]
        {
            new { externalId = "tk-1", account = "acct-1", provider = "salesforce", subject = "Token expired", priority = "high", openedAt = "2025-06-01T10:00:00+02:00" },
            new { externalId = "tk-2", account = "acct-2", subject = "Question", openedAt = "2025-06-01T10:00:00Z", closedAt = "2025-06-02T10:00:00Z" },
        }));
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/survey-responses", new object[]
        {
            new { externalId = "nps-1", account = "acct-1", userId = "u-1", score = 9, comment = "great", respondedAt = "2025-06-03T10:00:00Z" },
        }));

        var tickets = await client.GetFromJsonAsync<JsonObject>("/v1/support-tickets?account=acct-1");
        var responses = await client.GetFromJsonAsync<JsonObject>("/v1/survey-responses?account=acct-1");
        var connections = await client.GetFromJsonAsync<JsonObject>("/v1/connections?account=acct-2");

        var ticket = Assert.Single(tickets!["items"]!.AsArray())!;
        Assert.Equal("tk-1", ticket["externalId"]!.GetValue<string>());
        Assert.Equal("salesforce", ticket["provider"]!.GetValue<string>());
        Assert.Equal("high", ticket["priority"]!.GetValue<string>());
        Assert.Equal("2025-06-01T08:00:00Z", ticket["openedAt"]!.GetValue<string>());
        Assert.Equal(9, Assert.Single(responses!["items"]!.AsArray())!["score"]!.GetValue<int>());
        Assert.Equal(["conn-2", "conn-2-hubspot"], connections!["items"]!.AsArray().Select(c => c!["externalId"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task ListAccounts_Paged_WalksEveryAccountOnce()
    {
        using var client = fixture.Host.Client(fixture.Key);
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/accounts",
            Enumerable.Range(1, 5).Select(i => new { externalId = $"page-{i}", name = $"Paged {i}" })));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonObject>("/v1/accounts?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page!["items"]!.AsArray().Select(a => a!["externalId"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        } while (cursor is not null && pages < 50);

        var expected = await fixture.Host.QueryAsync(db => db.Accounts.CountAsync());
        Assert.Equal(expected, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Contains("page-5", seen);
    }
}
