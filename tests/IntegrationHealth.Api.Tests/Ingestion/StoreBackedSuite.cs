using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Storage;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Api.Tests.Ingestion;

/// <summary>
/// Behaviour that depends on the database engine, run against SQLite and PostgreSQL alike: start-up migration of an
/// empty database, exactly-once ingestion under concurrent overlapping batches and retries, upserts, and Hangfire's
/// storage and recurring job. The hosts register unknown provider keys on first sight (see <see cref="ServerHostFixture"/>).
/// </summary>
public abstract class StoreBackedSuite<TFixture>(TFixture fixture) where TFixture : ServerHostFixture
{
    private ApiTestHost Host => fixture.Host;

    private async Task<HttpClient> TenantClientAsync(string tenant, int accounts = 3)
    {
        var key = await Host.CreateKeyAsync(tenant, ApiKeyScopes.Ingest | ApiKeyScopes.Read);
        await Host.SeedAsync(key, [.. Enumerable.Range(1, accounts).Select(i => ($"acct-{i}", new[] { ($"conn-{i}", "salesforce") }))]);
        return Host.Client(key);
    }

    private Task<int> CountTenantEventsAsync(string tenant) =>
        Host.QueryAsync(db => db.TelemetryEvents.CountAsync(e => db.Tenants.Any(t => t.Id == e.TenantId && t.Key == tenant)));

    [StoreFact]
    public async Task Startup_EmptyDatabase_IsMigratedAndReady()
    {
        var migrations = await Host.QueryAsync(db => db.Database.GetAppliedMigrationsAsync());
        Assert.NotEmpty(migrations);
        Assert.Empty(await Host.QueryAsync(db => db.Database.GetPendingMigrationsAsync()));
        using var client = Host.Client();
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [StoreFact]
    public async Task PostEvents_ConcurrentOverlappingBatches_StoresEachIdExactlyOnce()
    {
        const string tenant = "overlap";
        const int clients = 8, perClient = 400, stride = 150, batch = 200;
        var setup = await TenantClientAsync(tenant);
        var ids = Enumerable.Range(0, stride * (clients - 1) + perClient).Select(_ => Guid.NewGuid()).ToArray();
        var at = DateTimeOffset.UtcNow.AddHours(-1);

        using var start = new SemaphoreSlim(0);
        var posts = Enumerable.Range(0, clients).Select(async c =>
        {
            using var client = Host.Client(setup.DefaultRequestHeaders.Authorization!.Parameter);
            var mine = ids.Skip(c * stride).Take(perClient).ToArray();
            await start.WaitAsync();
            var results = new List<(int Accepted, int Duplicates)>();
            foreach (var chunk in mine.Chunk(batch))
            {
                var body = new JsonArray([.. chunk.Select((id, i) => (JsonNode)TestEvents.Valid($"acct-{(i % 3) + 1}", id: id, occurredAt: at.AddSeconds(i)))]);
                using var response = await client.PostAsync("/v1/events", TestHttp.Json(body));
                await TestHttp.EnsureSuccessAsync(response);
                var json = await TestHttp.ReadJsonAsync(response);
                results.Add((json.GetProperty("accepted").GetInt32(), json.GetProperty("duplicates").GetInt32()));
            }
            return results;
        }).ToList();
        start.Release(clients);
        var all = (await Task.WhenAll(posts)).SelectMany(r => r).ToList();

        Assert.Equal(ids.Length, all.Sum(r => r.Accepted));
        Assert.Equal(clients * perClient - ids.Length, all.Sum(r => r.Duplicates));
        Assert.Equal(ids.Length, await CountTenantEventsAsync(tenant));
    }

    [StoreFact]
    public async Task PostEvents_RetriedBatch_ReportsEveryEventAsDuplicate()
    {
        using var client = await TenantClientAsync("retry");
        var body = new JsonArray([.. Enumerable.Range(0, 50).Select(i => (JsonNode)TestEvents.Valid($"acct-{(i % 3) + 1}"))]);

        using var first = await client.PostAsync("/v1/events", TestHttp.Json(body.ToJsonString()));
        using var retry = await client.PostAsync("/v1/events", TestHttp.Json(body.ToJsonString()));

        var a = await TestHttp.ReadJsonAsync(first);
        var b = await TestHttp.ReadJsonAsync(retry);
        Assert.Equal((50, 0), (a.GetProperty("accepted").GetInt32(), a.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 50), (b.GetProperty("accepted").GetInt32(), b.GetProperty("duplicates").GetInt32()));
        Assert.Equal(50, await CountTenantEventsAsync("retry"));
    }

    [StoreFact]
    public async Task PostEvents_ConcurrentBatchesNamingNewProviders_RegisterEachOnceAndStoreEveryEvent()
    {
        const string tenant = "first-sight-race";
        using var setup = await TenantClientAsync(tenant);
        string[] keys = ["new-crm", "new-erp", "new-hris", "new-ats"];
        using var start = new SemaphoreSlim(0);
        var posts = Enumerable.Range(0, 8).Select(async c =>
        {
            using var client = Host.Client(setup.DefaultRequestHeaders.Authorization!.Parameter);
            var random = new Random(c);
            await start.WaitAsync();
            for (var b = 0; b < 3; b++)
            {
                var body = new JsonArray([.. Enumerable.Range(0, 40).Select(i => (JsonNode)TestEvents.Valid($"acct-{(i % 3) + 1}", keys[random.Next(keys.Length)]))]);
                using var response = await client.PostAsync("/v1/events", TestHttp.Json(body));
                await TestHttp.EnsureSuccessAsync(response);
            }
        }).ToList();
        start.Release(8);
        await Task.WhenAll(posts);

        Assert.Equal(8 * 3 * 40, await CountTenantEventsAsync(tenant));
        var own = await Host.QueryAsync(db => db.Providers.Where(p => db.Tenants.Any(t => t.Id == p.TenantId && t.Key == tenant)).Select(p => p.Key).ToListAsync());
        Assert.Equal(keys.Order(), own.Order());
    }

    [StoreFact]
    public async Task UpsertConnections_ConcurrentBatchesNamingANewProvider_AllSucceedWithOneProviderRow()
    {
        const string tenant = "first-sight-upserts";
        using var setup = await TenantClientAsync(tenant, accounts: 1);
        using var start = new SemaphoreSlim(0);
        var posts = Enumerable.Range(0, 6).Select(async c =>
        {
            using var client = Host.Client(setup.DefaultRequestHeaders.Authorization!.Parameter);
            await start.WaitAsync();
            using var response = await client.PostAsJsonAsync("/v1/connections", new[] { new { externalId = $"conn-new-{c}", account = "acct-1", provider = "brand-new" } });
            await TestHttp.EnsureSuccessAsync(response);
        }).ToList();
        start.Release(6);
        await Task.WhenAll(posts);

        var rows = await Host.QueryAsync(db => db.Providers.Where(p => p.Key == "brand-new" && db.Tenants.Any(t => t.Id == p.TenantId && t.Key == tenant)).Select(p => p.Id).ToListAsync());
        var id = Assert.Single(rows);
        Assert.Equal(6, await Host.QueryAsync(db => db.Connections.CountAsync(c => c.ProviderId == id)));
    }

    [StoreFact]
    public async Task PostEvents_EndpointAndFailureDetail_AreStoredAndReadBack()
    {
        using var client = await TenantClientAsync("details", accounts: 1);
        var template = "/crm/v3/objects/{objectType}/{id}";
        // Several batches at once name one new template: each interns it, one row results.
        var batches = Enumerable.Range(0, 4).Select(_ => TestEvents.Array(
            TestEvents.Valid("acct-1", "hubspot").With(e => e["endpoint"] = template),
            TestEvents.Valid("acct-1").With(e => { e["kind"] = "mapping_failure"; e["errorClass"] = "mapping"; e["errorMessage"] = "schema drift:\n'email' missing"; e["field"] = "email"; e["recordId"] = "rec-9"; }))).ToList();

        var responses = await Task.WhenAll(batches.Select(b => client.PostAsync("/v1/events", TestHttp.Json(b))));

        foreach (var r in responses) await TestHttp.EnsureSuccessAsync(r);
        var read = (await client.GetFromJsonAsync<JsonObject>("/v1/accounts/acct-1/events?limit=100"))!["items"]!.AsArray();
        Assert.Equal(8, read.Count);
        Assert.Equal(4, read.Count(e => e!["endpoint"]?.GetValue<string>() == template));
        var failures = read.Where(e => e!["kind"]!.GetValue<string>() == "mapping_failure").ToList();
        Assert.Equal(4, failures.Count);
        Assert.All(failures, f => Assert.Equal(("schema drift:\n'email' missing", "email", "rec-9"),
            (f!["errorMessage"]!.GetValue<string>(), f["field"]!.GetValue<string>(), f["recordId"]!.GetValue<string>())));
        Assert.Equal(1, await Host.QueryAsync(db => db.EndpointTemplates.CountAsync(t => t.Template == template && db.Tenants.Any(x => x.Id == t.TenantId && x.Key == "details"))));
    }

    [StoreFact]
    public async Task PostEvents_IdsAnotherTenantUsed_AreAcceptedAndEachTenantsReplayIsDuplicate()
    {
        // Issue 13 item 4: B's events with ids A had used were answered "duplicates" and dropped.
        using var a = await TenantClientAsync("ids-a", accounts: 1);
        using var b = await TenantClientAsync("ids-b", accounts: 1);
        var body = new JsonArray([.. Enumerable.Range(0, 20).Select(_ => (JsonNode)TestEvents.Valid("acct-1"))]).ToJsonString();

        async Task<(int, int)> PostAsync(HttpClient client)
        {
            using var response = await client.PostAsync("/v1/events", TestHttp.Json(body));
            await TestHttp.EnsureSuccessAsync(response);
            var json = await TestHttp.ReadJsonAsync(response);
            return (json.GetProperty("accepted").GetInt32(), json.GetProperty("duplicates").GetInt32());
        }

        Assert.Equal((20, 0), await PostAsync(a));
        Assert.Equal((20, 0), await PostAsync(b));
        Assert.Equal((0, 20), await PostAsync(b));
        Assert.Equal((0, 20), await PostAsync(a));
        Assert.Equal(20, await CountTenantEventsAsync("ids-a"));
        Assert.Equal(20, await CountTenantEventsAsync("ids-b"));
        var read = (await b.GetFromJsonAsync<JsonObject>("/v1/accounts/acct-1/events?limit=100"))!["items"]!.AsArray();
        Assert.Equal(20, read.Count);
    }

    [StoreFact]
    public async Task PostEvents_SameIdTwiceInOneBatch_StoresItOnce()
    {
        using var client = await TenantClientAsync("twice");
        var id = Guid.NewGuid();
        var body = TestEvents.Array(TestEvents.Valid(id: id), TestEvents.Valid(id: id), TestEvents.Valid());

        using var response = await client.PostAsync("/v1/events", TestHttp.Json(body));

        var json = await TestHttp.ReadJsonAsync(response);
        Assert.Equal(2, json.GetProperty("accepted").GetInt32());
        Assert.Equal(1, json.GetProperty("duplicates").GetInt32());
        Assert.Equal(2, await CountTenantEventsAsync("twice"));
    }

    [StoreFact]
    public async Task PostEvents_Ndjson_IsStoredAndReadBackInWireFormat()
    {
        using var client = await TenantClientAsync("ndjson");
        var id = Guid.NewGuid();
        var events = new[]
        {
            TestEvents.Valid("acct-1", id: id, occurredAt: DateTimeOffset.Parse("2025-06-01T12:00:00.250+02:00", System.Globalization.CultureInfo.InvariantCulture))
                .With(e => { e["status"] = 503; e["errorClass"] = "5xx"; }),
            TestEvents.Valid("acct-2").With(e => { e["kind"] = "usage"; e["userId"] = "u-1"; e["resource"] = "reports"; }),
        };

        using var response = await client.PostAsync("/v1/events", TestHttp.Ndjson(events));
        await TestHttp.EnsureSuccessAsync(response);
        var stored = (await client.GetFromJsonAsync<JsonObject>("/v1/accounts/acct-1/events"))!["items"]!.AsArray();

        var e0 = Assert.Single(stored)!.AsObject();
        Assert.Equal(id.ToString(), e0["id"]!.GetValue<string>());
        Assert.Equal("2025-06-01T10:00:00.25Z", e0["occurredAt"]!.GetValue<string>());
        Assert.Equal("conn-1", e0["connection"]!.GetValue<string>()); // implied: the account's only salesforce connection
        Assert.Equal("failure", e0["outcome"]!.GetValue<string>()); // defaulted from errorClass/status
        Assert.Equal(503, e0["status"]!.GetValue<int>());
    }

    [StoreFact]
    public async Task ListAccountEvents_PagedByCursor_ReturnsEveryEventOnceNewestFirstAcrossTiesAtOneInstant()
    {
        using var client = await TenantClientAsync("paging");
        var tie = DateTimeOffset.UtcNow.AddMinutes(-30);
        var instants = new[] { tie.AddMinutes(5), tie, tie, tie, tie.AddMinutes(-5), tie.AddMinutes(-6), tie.AddMinutes(-7) };
        var ids = instants.Select(_ => Guid.NewGuid()).ToArray();
        var batch = TestEvents.Array([.. instants.Select((at, i) => (JsonNode)TestEvents.Valid("acct-2", id: ids[i], occurredAt: at)
            .With(e => e["resource"] = "paging-test"))]);
        await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(batch)));

        var from = Uri.EscapeDataString(tie.AddMinutes(-8).ToString("O"));
        var seen = new List<(Guid Id, DateTime At)>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = (await client.GetFromJsonAsync<JsonObject>(
                $"/v1/accounts/acct-2/events?limit=2&from={from}{(cursor is null ? "" : "&cursor=" + cursor)}"))!;
            var items = page["items"]!.AsArray().Where(e => e!["resource"]?.GetValue<string>() == "paging-test").ToList();
            Assert.InRange(page["items"]!.AsArray().Count, 1, 2);
            seen.AddRange(items.Select(e => (Guid.Parse(e!["id"]!.GetValue<string>()), e!["occurredAt"]!.GetValue<DateTime>().ToUniversalTime())));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 20);

        Assert.Null(cursor);
        Assert.Equal(ids.Order(), seen.Select(s => s.Id).Order()); // every event once: none skipped or repeated at the tie
        Assert.Equal(seen.Select(s => s.At).OrderDescending(), seen.Select(s => s.At)); // newest first
        using var bad = await client.GetAsync("/v1/accounts/acct-2/events?cursor=bm90LWEtY3Vyc29y");
        await TestHttp.AssertProblemAsync(bad, System.Net.HttpStatusCode.BadRequest);
    }

    [StoreFact]
    public async Task PostEvents_ConnectionCreatedByAnotherProcessAfterCaching_IsFound()
    {
        using var client = await TenantClientAsync("stale-cache", accounts: 1);
        await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid("acct-1")))));

        // Written behind the API's back, as another web process would: this process's cache cannot know about it.
        await Host.QueryAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(a => a.ExternalId == "acct-1" && db.Tenants.Any(t => t.Id == a.TenantId && t.Key == "stale-cache"));
            var hubspot = await db.Providers.SingleAsync(p => p.Key == "hubspot");
            db.Connections.Add(new Connection
            {
                TenantId = account.TenantId, AccountId = account.Id, ProviderId = hubspot.Id, ExternalId = "conn-late",
                CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        using var response = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(
            TestEvents.Valid("acct-1", "hubspot").With(e => e["connection"] = "conn-late"))));

        await TestHttp.EnsureSuccessAsync(response);
        Assert.Equal(2, await CountTenantEventsAsync("stale-cache"));
    }

    [StoreFact]
    public async Task UpsertAccounts_InsertThenUpdate_CountsAndStoresLatest()
    {
        var key = await Host.CreateKeyAsync("upserts", ApiKeyScopes.Admin);
        using var client = Host.Client(key);
        var first = await client.PostAsJsonAsync("/v1/accounts", new[]
        {
            new { externalId = "a-1", name = "First", arr = 1000.5m, segment = "enterprise" },
            new { externalId = "a-2", name = "Second", arr = 10m, segment = "smb" },
        });
        var second = await client.PostAsJsonAsync("/v1/accounts", new[]
        {
            new { externalId = "a-2", name = "Second, renamed", arr = 20m, segment = "mid_market" },
            new { externalId = "a-3", name = "Third", arr = 0m, segment = "smb" },
        });

        Assert.Equal("{\"inserted\":2,\"updated\":0}", await first.Content.ReadAsStringAsync());
        Assert.Equal("{\"inserted\":1,\"updated\":1}", await second.Content.ReadAsStringAsync());
        var a2 = await client.GetFromJsonAsync<JsonObject>("/v1/accounts/a-2");
        Assert.Equal("Second, renamed", a2!["name"]!.GetValue<string>());
        Assert.Equal("mid_market", a2["segment"]!.GetValue<string>());
        Assert.Equal(20m, a2["arr"]!.GetValue<decimal>());
    }

    [StoreFact]
    public async Task UpsertAccounts_ConcurrentOverlappingBatches_AllSucceedWithoutDuplicates()
    {
        var key = await Host.CreateKeyAsync("upsert-race", ApiKeyScopes.Ingest);
        using var start = new SemaphoreSlim(0);
        var posts = Enumerable.Range(0, 8).Select(async c =>
        {
            using var client = Host.Client(key);
            var items = Enumerable.Range(c * 10, 40).Select(i => new { externalId = $"race-{i}", name = $"Race {i} by {c}" }).ToArray();
            await start.WaitAsync();
            using var response = await client.PostAsJsonAsync("/v1/accounts", items);
            await TestHttp.EnsureSuccessAsync(response);
            var json = await TestHttp.ReadJsonAsync(response);
            return (json.GetProperty("inserted").GetInt32(), json.GetProperty("updated").GetInt32());
        }).ToList();
        start.Release(8);
        var results = await Task.WhenAll(posts);

        const int distinct = 7 * 10 + 40;
        Assert.Equal(distinct, results.Sum(r => r.Item1));
        Assert.Equal(8 * 40 - distinct, results.Sum(r => r.Item2));
        Assert.Equal(distinct, await Host.QueryAsync(db => db.Accounts.CountAsync(a => a.ExternalId.StartsWith("race-"))));
    }

    [StoreFact]
    public async Task Hangfire_RecurringPurgeJob_IsRegisteredAndDeletesOldRevokedKeys()
    {
        var storage = Host.Services.GetRequiredService<JobStorage>();
        using (var connection = storage.GetConnection())
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!connection.GetRecurringJobs().Any(j => j.Id == RevokedKeyPurgeJob.RecurringJobId) && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.Contains(connection.GetRecurringJobs(), j => j.Id == RevokedKeyPurgeJob.RecurringJobId);
        }

        await Host.CreateKeyAsync("purge", ApiKeyScopes.Read, "old");
        await Host.CreateKeyAsync("purge", ApiKeyScopes.Read, "recent");
        await Host.CreateKeyAsync("purge", ApiKeyScopes.Read, "live");
        await Host.QueryAsync(async db =>
        {
            var keys = await db.ApiKeys.Where(k => k.Name == "old" || k.Name == "recent").ToListAsync();
            foreach (var k in keys) k.RevokedAt = DateTime.UtcNow.AddDays(k.Name == "old" ? -31 : -1);
            return await db.SaveChangesAsync();
        });

        using var scope = Host.Services.CreateScope();
        var purged = await scope.ServiceProvider.GetRequiredService<RevokedKeyPurgeJob>().PurgeAsync(CancellationToken.None);

        Assert.True(purged >= 1);
        var names = await Host.QueryAsync(db => db.ApiKeys.Where(k => k.Name == "old" || k.Name == "recent" || k.Name == "live")
            .Select(k => k.Name!).ToListAsync());
        Assert.Equal(["live", "recent"], names.Order());
    }
}

public sealed class SqliteStoreBackedTests(SqliteServerFixture fixture)
    : StoreBackedSuite<SqliteServerFixture>(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgresStoreBackedTests(PostgresServerFixture fixture)
    : StoreBackedSuite<PostgresServerFixture>(fixture), IClassFixture<PostgresServerFixture>, IRequiresPostgres;
