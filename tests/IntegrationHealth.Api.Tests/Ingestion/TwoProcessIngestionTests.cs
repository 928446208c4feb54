using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Api.Tests.Ingestion;

/// <summary>
/// Scale-out on the partitioned PostgreSQL layout: two real API processes on one database, each with its own telemetry
/// writer and connection pool, ingest the same batches at once (verbatim and re-cut across batch boundaries, as
/// replaying senders do), through HTTP with keep-alive clients. Every event must be stored exactly once and the
/// counts the two processes answer must add up.
/// </summary>
public sealed class TwoProcessIngestionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [PostgresFact]
    public async Task PostEvents_SameBatchesOnTwoProcessesConcurrently_StoreEachEventOnce()
    {
        await using var database = await TestDatabase.PostgresAsync();
        var options = new ApiProcessOptions { Database = database.Options, Environment = new Dictionary<string, string?> { ["Roles"] = "Web" } };
        var key = await ApiProcess.CreateKeyAsync(options, "scale-out", "admin", "two processes", Timeout);
        await using var first = await ApiProcess.StartReadyAsync(options, Timeout, "serve");
        await using var second = await ApiProcess.StartReadyAsync(options, Timeout, "serve");
        using var one = Client(first, key);
        using var two = Client(second, key);
        using (var accounts = await one.PostAsJsonAsync("v1/accounts", Enumerable.Range(1, 3).Select(i => new { externalId = $"acct-{i}", name = $"Account {i}" })))
        {
            Assert.True(accounts.IsSuccessStatusCode, await accounts.Content.ReadAsStringAsync());
        }

        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var events = Enumerable.Range(0, 3_000)
            .Select(i => TestEvents.Valid($"acct-{(i % 3) + 1}", occurredAt: i % 50 == 0 ? at.AddHours(-40) : at.AddSeconds(i)))
            .ToArray();
        // Batches of 250 verbatim, and the same events re-cut into batches of 400 starting at 100: every event is sent
        // four times, twice to each process.
        var verbatim = events.Chunk(250).ToList();
        var recut = events.Skip(100).Chunk(400).Append(events.Take(100).ToArray()).ToList();
        using var start = new SemaphoreSlim(0);
        var senders = new[] { (one, verbatim), (two, verbatim), (one, recut), (two, recut) }.Select(async s =>
        {
            await start.WaitAsync();
            var counts = (Accepted: 0, Duplicates: 0);
            foreach (var batch in s.Item2)
            {
                using var response = await s.Item1.PostAsync("v1/events", TestHttp.Json(new JsonArray([.. batch.Select(e => e.DeepClone())])));
                await TestHttp.EnsureSuccessAsync(response);
                var json = await TestHttp.ReadJsonAsync(response);
                counts = (counts.Accepted + json.GetProperty("accepted").GetInt32(), counts.Duplicates + json.GetProperty("duplicates").GetInt32());
            }

            return counts;
        }).ToList();
        start.Release(senders.Count);
        var results = await Task.WhenAll(senders);

        Assert.True(3_000 == results.Sum(r => r.Accepted), first.Output + second.Output);
        Assert.Equal(3 * 3_000, results.Sum(r => r.Duplicates));
        await using var db = database.Services.GetRequiredService<IDbContextFactory<IntegrationHealth.Data.IntegrationHealthDbContext>>().CreateDbContext();
        Assert.Equal(3_000, await db.TelemetryEvents.CountAsync());
        Assert.Equal(3_000, await db.TelemetryEvents.Select(e => e.Id).Distinct().CountAsync());
    }

    private static HttpClient Client(ApiProcess api, string key)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
