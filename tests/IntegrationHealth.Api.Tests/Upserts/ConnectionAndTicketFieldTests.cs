using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Upserts;

/// <summary>
/// Fields real senders have (issue 13, item 2): a connection's <c>createdAt</c> (the ingest time was stamped, which broke
/// tenure and onboarding analysis) and a support ticket's category, status, first-response and resolution times (the
/// support-SLA scorecard needs them). All were refused as unknown properties.
/// </summary>
public sealed class ConnectionAndTicketFieldTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    private HttpClient Client() => fixture.Host.Client(fixture.Key);

    private static async Task<JsonObject> ItemAsync(HttpClient client, string path, string externalId)
    {
        var page = await client.GetFromJsonAsync<JsonObject>(path);
        return page!["items"]!.AsArray().Single(i => i!["externalId"]!.GetValue<string>() == externalId)!.AsObject();
    }

    [Fact]
    public async Task UpsertConnections_CreatedAt_IsStoredOnInsertKeptWhenOmittedAndNowWithoutIt()
    {
        using var client = Client();
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/connections", new object[]
        {
            new { externalId = "conn-tenure", account = "acct-1", provider = "hubspot", createdAt = "2024-03-01T09:30:00+01:00" },
            new { externalId = "conn-now", account = "acct-1", provider = "hubspot" },
        }));
        Assert.Equal("2024-03-01T08:30:00Z", (await ItemAsync(client, "/v1/connections?account=acct-1", "conn-tenure"))["createdAt"]!.GetValue<string>());
        var now = (await ItemAsync(client, "/v1/connections?account=acct-1", "conn-now"))["createdAt"]!.GetValue<DateTime>();
        Assert.InRange(now, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));

        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/connections",
            new[] { new { externalId = "conn-tenure", account = "acct-1", provider = "hubspot", status = "needs_reauth" } }));
        var kept = await ItemAsync(client, "/v1/connections?account=acct-1", "conn-tenure");
        Assert.Equal(("2024-03-01T08:30:00Z", "needs_reauth"), (kept["createdAt"]!.GetValue<string>(), kept["status"]!.GetValue<string>()));

        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/connections",
            new[] { new { externalId = "conn-tenure", account = "acct-1", provider = "hubspot", createdAt = "2023-12-24T00:00:00Z" } }));
        Assert.Equal("2023-12-24T00:00:00Z", (await ItemAsync(client, "/v1/connections?account=acct-1", "conn-tenure"))["createdAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpsertSupportTickets_SlaFields_AreStoredListedAndTheStatusDefaultsFromTheTimes()
    {
        using var client = Client();
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/support-tickets", new object[]
        {
            new { externalId = "sla-1", account = "acct-2", provider = "salesforce", subject = "Sync stopped", category = "integration", status = "pending",
                openedAt = "2025-06-01T10:00:00Z", firstResponseAt = "2025-06-01T12:20:00+02:00", resolvedAt = "2025-06-02T09:00:00Z" },
            new { externalId = "sla-closed", account = "acct-2", subject = "Invoice", category = "billing", openedAt = "2025-06-01T10:00:00Z", closedAt = "2025-06-03T10:00:00Z" },
            new { externalId = "sla-solved", account = "acct-2", subject = "How do I map fields?", category = "how_to", openedAt = "2025-06-01T10:00:00Z", resolvedAt = "2025-06-01T11:00:00Z" },
            new { externalId = "sla-open", account = "acct-2", subject = "Other", openedAt = "2025-06-01T10:00:00Z" },
        }));

        var sla = await ItemAsync(client, "/v1/support-tickets?account=acct-2", "sla-1");
        Assert.Equal(("integration", "pending", "2025-06-01T10:20:00Z", "2025-06-02T09:00:00Z"),
            (sla["category"]!.GetValue<string>(), sla["status"]!.GetValue<string>(), sla["firstResponseAt"]!.GetValue<string>(), sla["resolvedAt"]!.GetValue<string>()));
        Assert.Equal("closed", (await ItemAsync(client, "/v1/support-tickets?account=acct-2", "sla-closed"))["status"]!.GetValue<string>());
        Assert.Equal("solved", (await ItemAsync(client, "/v1/support-tickets?account=acct-2", "sla-solved"))["status"]!.GetValue<string>());
        var open = await ItemAsync(client, "/v1/support-tickets?account=acct-2", "sla-open");
        Assert.Equal("open", open["status"]!.GetValue<string>());
        Assert.Null(open["category"]);
        Assert.Null(open["firstResponseAt"]);

        // The item is the ticket's full state: what it leaves out is cleared on update.
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/support-tickets",
            new[] { new { externalId = "sla-1", account = "acct-2", subject = "Sync stopped", openedAt = "2025-06-01T10:00:00Z", status = "closed" } }));
        var updated = await ItemAsync(client, "/v1/support-tickets?account=acct-2", "sla-1");
        Assert.Equal("closed", updated["status"]!.GetValue<string>());
        Assert.Null(updated["category"]);
        Assert.Null(updated["resolvedAt"]);
    }

    public static TheoryData<string, string, string> InvalidItems => new()
    {
        { "/v1/support-tickets", "\"category\":\"bug\"", "category" },
        { "/v1/support-tickets", "\"category\":\"How_To\"", "category" },
        { "/v1/support-tickets", "\"category\":1", "category" },
        { "/v1/support-tickets", "\"status\":\"done\"", "status" },
        { "/v1/support-tickets", "\"status\":\"\"", "status" },
        { "/v1/support-tickets", "\"firstResponseAt\":\"2025-05-31T23:59:59Z\"", "firstResponseAt" },
        { "/v1/support-tickets", "\"firstResponseAt\":\"2025-06-02\"", "firstResponseAt" },
        { "/v1/support-tickets", "\"resolvedAt\":\"2025-06-01T09:59:59.999Z\"", "resolvedAt" },
        { "/v1/support-tickets", "\"resolvedAt\":\"2999-01-01T00:00:00Z\"", "resolvedAt" },
        { "/v1/support-tickets", "\"resolvedAt\":1748772000", "resolvedAt" },
        { "/v1/connections", "\"createdAt\":\"2999-01-01T00:00:00Z\"", "createdAt" },
        { "/v1/connections", "\"createdAt\":\"2024-03-01T09:30:00\"", "createdAt" },
        { "/v1/connections", "\"createdAt\":\"1999-12-31T23:59:59Z\"", "createdAt" },
        { "/v1/connections", "\"createdAt\":\"2025-06-02T00:00:00Z\",\"lastSyncAt\":\"2025-06-01T00:00:00Z\"", "lastSyncAt" },
    };

    [Theory]
    [MemberData(nameof(InvalidItems))]
    public async Task Upsert_InvalidNewField_Answers400NamingItAndStoresNothing(string path, string properties, string field)
    {
        var before = await fixture.Host.QueryAsync(async db => (await db.Connections.CountAsync(), await db.SupportTickets.CountAsync()));
        using var client = Client();
        var item = path == "/v1/connections"
            ? "{\"externalId\":\"bad-new\",\"account\":\"acct-1\",\"provider\":\"hubspot\"," + properties + "}"
            : "{\"externalId\":\"bad-new\",\"account\":\"acct-1\",\"subject\":\"s\",\"openedAt\":\"2025-06-01T10:00:00Z\"," + properties + "}";

        using var response = await client.PostAsync(path, TestHttp.Json("[" + item + "]"));

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(before, await fixture.Host.QueryAsync(async db => (await db.Connections.CountAsync(), await db.SupportTickets.CountAsync())));
    }
}
