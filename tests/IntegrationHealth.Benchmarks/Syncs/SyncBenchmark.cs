using System.Diagnostics;
using System.Globalization;
using System.Text;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Syncs;
using IntegrationHealth.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHealth.Benchmarks.Syncs;

/// <summary>
/// A sync of <c>--records</c> (default 100,000) records, <c>--page-size</c> per page (default 100), from a provider
/// double on 127.0.0.1 (Kestrel in this process, pages pre-rendered so the double costs little) into the record cache
/// of a migrated store (<c>--store sqlite|postgres</c>; PostgreSQL from INTEGRATIONHEALTH_TEST_PG): the whole
/// engine path (definition uploaded as data, executor, JSONata mapping, model validation, change detection, one
/// transaction per page with its checkpoint). Reports records/s and the share of the run's time spent mapping; then
/// a second, unchanged full pass (the change-detection path: reads and hashes, no writes of data).
/// </summary>
internal static class SyncBenchmark
{
    private const string Definition = """
        {
          "key": "benchpeople", "name": "Bench People", "category": "crm",
          "base_url": "https://api.bench.example",
          "auth": { "kind": "none" },
          "resources": { "people": {
            "model": "crm.contact",
            "operations": { "list": {
              "method": "GET", "path": "/people", "records": "data",
              "pagination": { "strategy": "page_number", "page_param": { "query": "page" }, "page_size": PAGE, "stop_when": "body.has_more = false" },
              "response_mapping": "{ 'id': $string(id), 'first_name': first, 'last_name': last, 'email': mail, 'phone': phone, 'company': company.name, 'created_at': created, 'updated_at': updated, 'custom_fields': { 'plan': plan, 'seats': seats } }"
            } }
          } }
        }
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var records = Option(args, "--records", 100_000);
        var pageSize = Option(args, "--page-size", 100);
        var store = args.SkipWhile(a => a != "--store").Skip(1).FirstOrDefault() ?? "sqlite";
        var pages = PrerenderPages(records, pageSize);
        await using var provider = await StartDoubleAsync(pages);
        await using TestDatabase database = store == "postgres" ? await TestDatabase.MigratedPostgresAsync() : await TestDatabase.MigratedSqliteAsync();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine:OriginOverrides:benchpeople"] = provider.Origin,
            ["Engine:BackgroundRetries"] = "0",
            ["Engine:MaxPages"] = (pages.Length + 10).ToString(CultureInfo.InvariantCulture),
        }).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddIntegrationHealthStore(database.Options);
        // The store's credential vault protects payloads with Data Protection, which the API host configures; keys in memory here.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddEngine();
        await using var engine = services.BuildServiceProvider();

        int tenantId, connectionId;
        await using (var db = database.CreateContext())
        {
            var tenant = new Tenant { Key = "bench", Name = "bench", CreatedAt = DateTime.UtcNow };
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync();
            tenantId = tenant.Id;
            var upload = await engine.GetRequiredService<TenantDefinitionStore>()
                .SaveAsync(tenantId, "benchpeople", Definition.Replace("PAGE", pageSize.ToString(CultureInfo.InvariantCulture)), default);
            if (upload.Outcome != DefinitionUploadOutcome.Created) throw new InvalidOperationException(string.Join("; ", upload.Errors));
            var account = new Account { TenantId = tenantId, ExternalId = "acct", Name = "acct", CreatedAt = DateTime.UtcNow };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            var providerId = db.Providers.Single(p => p.TenantId == tenantId && p.Key == "benchpeople").Id;
            var connection = new Connection
            {
                TenantId = tenantId, AccountId = account.Id, ProviderId = providerId, ExternalId = "conn", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            };
            db.Connections.Add(connection);
            await db.SaveChangesAsync();
            connectionId = connection.Id;
        }

        var runner = engine.GetRequiredService<SyncRunner>();
        Console.WriteLine($"sync benchmark: {records:N0} records, {pages.Length:N0} pages of {pageSize}, store {store}");
        foreach (var label in new[] { "first pass (all added)", "second pass (unchanged)" })
        {
            var queued = await runner.QueueAsync(tenantId, connectionId, "people", "api", default);
            var clock = Stopwatch.StartNew();
            var run = await runner.RunAsync(queued.Id);
            clock.Stop();
            if (run.Status != SyncRunStatus.Succeeded) throw new InvalidOperationException($"The sync failed: {run.Error}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label}: {run.Records:N0} records in {clock.Elapsed.TotalSeconds:0.00} s = {run.Records / clock.Elapsed.TotalSeconds:N0} records/s; " +
                $"mapping {run.MappingTime.TotalSeconds:0.00} s ({100 * run.MappingTime / clock.Elapsed:0.0}% of the run); " +
                $"added {run.Added:N0}, updated {run.Updated:N0}, deleted {run.Deleted:N0}; {provider.Requests} page requests so far"));
        }
        return 0;
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static byte[][] PrerenderPages(int records, int pageSize)
    {
        var count = Math.Max(1, (records + pageSize - 1) / pageSize);
        var pages = new byte[count][];
        for (var p = 0; p < count; p++)
        {
            var text = new StringBuilder("{\"data\":[");
            for (var i = p * pageSize; i < Math.Min(records, (p + 1) * pageSize); i++)
            {
                if (i > p * pageSize) text.Append(',');
                text.Append(CultureInfo.InvariantCulture, $$"""{"id":{{i + 1}},"first":"Ada{{i}}","last":"Lovelace{{i}}","mail":"ada{{i}}@bench.example","phone":"+1 555 {{i % 10000:0000}}","company":{"name":"Company {{i % 97}}"},"created":"2024-01-02T03:04:05Z","updated":"2024-06-01T00:00:00Z","plan":"pro","seats":{{i % 50}}}""");
            }
            text.Append(CultureInfo.InvariantCulture, $"],\"has_more\":{(p + 1 < count ? "true" : "false")}}}");
            pages[p] = Encoding.UTF8.GetBytes(text.ToString());
        }
        return pages;
    }

    private static async Task<PagesDouble> StartDoubleAsync(byte[][] pages)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var served = new PagesDouble(app);
        app.MapGet("/people", async (HttpContext context) =>
        {
            Interlocked.Increment(ref served.RequestCount);
            var page = int.TryParse(context.Request.Query["page"], out var n) ? n : 1;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(page >= 1 && page <= pages.Length ? pages[page - 1] : "{\"data\":[],\"has_more\":false}"u8.ToArray());
        });
        await app.StartAsync();
        served.Origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return served;
    }

    private sealed class PagesDouble(WebApplication app) : IAsyncDisposable
    {
        public int RequestCount;
        public string Origin { get; set; } = "";
        public int Requests => RequestCount;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
