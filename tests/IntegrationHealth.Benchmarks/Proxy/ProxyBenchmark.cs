using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Engine;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Models;
using IntegrationHealth.Engine.Proxy;
using IntegrationHealth.Engine.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHealth.Benchmarks.Proxy;

/// <summary>
/// The engine's proxy against calling the upstream directly and against Debian's nginx <c>proxy_pass</c> to the same
/// upstream (keep-alive pool), measured by wrk: p50/p99 added latency at 1 connection, requests/s at 64 connections,
/// ratios against direct. Then a unified listing (the executor's <c>ListAsync</c>) of N records over P pages from a
/// cursor-paginated upstream: records/s and the share of the time spent in the JSONata response mapping.
/// </summary>
/// <remarks>
/// The proxy runs in this process on Kestrel with the engine's <see cref="ConnectionProxy"/> over a fixed connection
/// (bearer credential injected, telemetry recorded and discarded); API-key authentication and the connection lookup
/// of <c>/v1/proxy</c> are not part of it. Upstream, proxy, nginx and wrk share the machine: run it on a quiet one.
/// </remarks>
internal static class ProxyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = ProxySettings.Parse(args);
        if (settings is null) return 2;

        await using var upstream = await Upstream.StartAsync(settings.Records, settings.Pages);
        await using var proxy = await ProxyServer.StartAsync(upstream.Port);
        var failed = false;

        Console.WriteLine($"# proxy: {settings.Duration.TotalSeconds:0} s per wrk run, upstream {upstream.Url("/base/ping")} (1 KB JSON)");
        var wrk = Tools.Find("wrk");
        var nginxPath = Tools.Find("nginx");
        if (wrk is null)
        {
            Console.WriteLine("!! wrk is not installed (tests/IntegrationHealth.Benchmarks/proxy-bench.sh installs it); proxy latency and rps skipped");
            failed = true;
        }
        else
        {
            await using var nginx = nginxPath is null ? null : await Nginx.StartAsync(nginxPath, upstream.Port);
            if (nginx is null) Console.WriteLine("!! nginx is not installed (proxy-bench.sh installs it); the nginx column is skipped");
            var targets = new List<(string Name, string Url)>
            {
                ("direct", upstream.Url("/base/ping")),
                ("engine proxy", proxy.Url("/p/ping")),
            };
            if (nginx is not null) targets.Add(("nginx proxy_pass", nginx.Url("/base/ping")));

            foreach (var (_, url) in targets) await Wrk.RunAsync(wrk, url, 2, 16, TimeSpan.FromSeconds(Math.Min(2, settings.Duration.TotalSeconds))); // warm-up
            var one = new Dictionary<string, WrkResult>();
            var many = new Dictionary<string, WrkResult>();
            foreach (var (name, url) in targets)
            {
                one[name] = await Wrk.RunAsync(wrk, url, 1, 1, settings.Duration);
                many[name] = await Wrk.RunAsync(wrk, url, 2, 64, settings.Duration);
            }
            var direct = one["direct"];
            Console.WriteLine();
            Console.WriteLine("| target | p50 ms (1 conn) | p99 ms | added p50 ms | added p99 ms | rps (64 conn) | rps / direct |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var (name, _) in targets)
            {
                var o = one[name];
                var m = many[name];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {o.P50Ms:0.000} | {o.P99Ms:0.000} | {o.P50Ms - direct.P50Ms:0.000} | {o.P99Ms - direct.P99Ms:0.000} | {m.RequestsPerSecond:0} | {m.RequestsPerSecond / many["direct"].RequestsPerSecond:P0} |"));
                failed |= o.Errors > 0 || m.Errors > 0;
            }
            var added = one["engine proxy"].P50Ms - direct.P50Ms;
            var share = many["engine proxy"].RequestsPerSecond / many["direct"].RequestsPerSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"targets: added p50 <= 0.5 ms: {added:0.000} ms {(added <= 0.5 ? "met" : "NOT met")}; rps >= 70% of direct: {share:P0} {(share >= 0.7 ? "met" : "NOT met")}"));
        }

        Console.WriteLine();
        Console.WriteLine($"# unified list: {settings.Records} records over {settings.Pages} pages, {settings.Iterations} timed runs after 1 warm-up");
        var listing = await UnifiedListing.RunAsync(upstream.Port, settings);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"listing median {listing.Listing.TotalMilliseconds:0.0} ms: {settings.Records / listing.Listing.TotalSeconds:0} records/s; " +
            $"mapping alone {listing.Mapping.TotalMilliseconds:0.0} ms = {listing.Mapping / listing.Listing:P0} of the listing"));
        failed |= listing.Count != settings.Records;
        if (listing.Count != settings.Records) Console.WriteLine($"!! listed {listing.Count} records, expected {settings.Records}");
        return failed ? 1 : 0;
    }
}

/// <summary>Options: <c>--duration 10</c> (seconds per wrk run), <c>--records 10000</c>, <c>--pages 100</c>, <c>--iterations 5</c>.</summary>
internal sealed record ProxySettings(TimeSpan Duration, int Records, int Pages, int Iterations)
{
    public static ProxySettings? Parse(string[] args)
    {
        var (duration, records, pages, iterations) = (10, 10_000, 100, 5);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : (int?)null;
            switch (args[i])
            {
                case "--duration" when value is { } d: duration = d; i++; break;
                case "--records" when value is { } r: records = r; i++; break;
                case "--pages" when value is { } p: pages = p; i++; break;
                case "--iterations" when value is { } n: iterations = n; i++; break;
                default:
                    Console.Error.WriteLine("usage: proxy [--duration seconds] [--records n] [--pages n] [--iterations n]");
                    return null;
            }
        }
        if (records % pages != 0)
        {
            Console.Error.WriteLine("--records must be a multiple of --pages");
            return null;
        }
        return new ProxySettings(TimeSpan.FromSeconds(duration), records, pages, iterations);
    }
}

/// <summary>The upstream: <c>/base/ping</c> (about 1 KB of JSON) and <c>/base/contacts?after=&amp;limit=</c> (cursor pages).</summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Upstream(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public static async Task<Upstream> StartAsync(int records, int pages)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var ping = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["results"] = new JsonArray([.. Enumerable.Range(0, 12).Select(i => (JsonNode)new JsonObject { ["id"] = i, ["name"] = $"Record number {i}", ["email"] = $"r{i}@example.com" })]),
        }.ToJsonString());
        app.MapGet("/base/ping", async (HttpContext c) =>
        {
            c.Response.ContentType = "application/json";
            c.Response.ContentLength = ping.Length;
            await c.Response.Body.WriteAsync(ping);
        });
        var pageSize = records / pages;
        var bodies = Enumerable.Range(0, pages).Select(p => System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["results"] = new JsonArray([.. Enumerable.Range(p * pageSize, pageSize).Select(i => (JsonNode)Contact(i))]),
            ["next"] = p + 1 < pages ? (p + 1).ToString(CultureInfo.InvariantCulture) : null,
        }.ToJsonString())).ToArray();
        app.MapGet("/base/contacts", async (HttpContext c) =>
        {
            var page = int.TryParse(c.Request.Query["after"], out var a) ? a : 0;
            c.Response.ContentType = "application/json";
            await c.Response.Body.WriteAsync(bodies[Math.Min(page, bodies.Length - 1)]);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Upstream(app, new Uri(address).Port);
    }

    private static JsonObject Contact(int i) => new()
    {
        ["id"] = i + 1,
        ["properties"] = new JsonObject
        {
            ["firstname"] = $"First{i}", ["lastname"] = $"Last{i}", ["email"] = $"contact{i}@example.com",
            ["phone"] = i % 3 == 0 ? null : $"+1 555 {i % 10000:0000}", ["company"] = $"Company {i % 97}", ["lifecyclestage"] = "lead",
        },
        ["createdAt"] = "2024-01-02T03:04:05.678Z",
        ["updatedAt"] = "2024-06-01T00:00:00Z",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A definition of the upstream: bearer auth, the contacts list paged by cursor, mapped to crm.contact.</summary>
internal static class BenchDefinition
{
    public static string Json(int port, int pageSize) => $$"""
        {
          "key": "bench", "name": "Bench", "base_url": "http://127.0.0.1:{{port}}/base",
          "auth": { "kind": "bearer" },
          "resources": { "contacts": { "model": "crm.contact", "operations": { "list": {
            "method": "GET", "path": "/contacts", "records": "results",
            "pagination": { "strategy": "cursor", "cursor_from": { "body": "next" }, "cursor_to": { "query": "after" },
                            "page_size": {{pageSize}}, "page_size_param": { "query": "limit" }, "max_pages": 100000 },
            "response_mapping": "{ 'id': $string(id), 'first_name': properties.firstname, 'last_name': properties.lastname, 'email': properties.email, 'phone': properties.phone, 'company': properties.company, 'created_at': createdAt, 'updated_at': updatedAt, 'custom_fields': { 'lifecyclestage': properties.lifecyclestage } }"
          } } } }
        }
        """;
}

/// <summary>Telemetry discarded (the benchmark measures the calls, not the store).</summary>
internal sealed class DiscardingTelemetryWriter : ITelemetryWriter
{
    public Task<TelemetryWriteResult> WriteAsync(IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken = default) =>
        Task.FromResult(new TelemetryWriteResult(events.Count, 0));
}

internal sealed class FixedEndpointTemplateIds : IEndpointTemplateIds
{
    public Task<IReadOnlyDictionary<(int TenantId, int ProviderId, string Template), int>> ResolveAsync(
        IReadOnlyCollection<(int TenantId, int ProviderId, string Template)> templates, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<(int, int, string), int>>(templates.Distinct().ToDictionary(t => t, _ => 1));
}

/// <summary>The engine's services as <c>AddEngine</c> registers them, with an in-memory vault, 127.0.0.1 allowed for the proxy.</summary>
internal static class BenchEngine
{
    public static void Add(IServiceCollection services, IConfigurationBuilder configuration)
    {
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Engine:Proxy:AllowedNetworks:0"] = "127.0.0.1/32" });
        services.AddSingleton<ITelemetryWriter, DiscardingTelemetryWriter>();
        services.AddSingleton<IEndpointTemplateIds, FixedEndpointTemplateIds>();
        // No store here: the in-process vault and alerts (AddEngine's defaults are the store's, which need a DbContext).
        services.AddSingleton<ICredentialVault, InMemoryCredentialStore>();
        services.AddSingleton<ICredentialAlerts, InMemoryCredentialAlerts>();
        services.AddEngine();
    }

    public static async Task<ResolvedConnection> ConnectAsync(IServiceProvider services, int port, int pageSize)
    {
        var provider = new ProviderDefinitionLoader(new UnifiedModelCatalog()).Load(BenchDefinition.Json(port, pageSize));
        await services.GetRequiredService<ICredentialStore>().SaveAsync("bench", ConnectionCredentials.Of(("token", "bench-token")));
        var engine = new EngineConnection { TenantId = 1, AccountId = 1, ProviderId = 1, ConnectionId = 1, CredentialKey = "bench" };
        return new ResolvedConnection(new Connection { Id = 1, TenantId = 1, AccountId = 1, ProviderId = 1, ExternalId = "bench" }, provider.Key, provider, engine);
    }
}

/// <summary>The engine's proxy on Kestrel: <c>/p/{**path}</c> forwards to the upstream's <c>/base</c>.</summary>
internal sealed class ProxyServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProxyServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public static async Task<ProxyServer> StartAsync(int upstreamPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        BenchEngine.Add(builder.Services, builder.Configuration);
        var app = builder.Build();
        var connection = await BenchEngine.ConnectAsync(app.Services, upstreamPort, 100);
        var proxy = app.Services.GetRequiredService<ConnectionProxy>();
        app.Map("/p/{**path}", async (HttpContext c) => { await proxy.ForwardAsync(c, connection, EngineProxyApi.RawPathAfter(c, 1)); });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ProxyServer(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Listing timed end to end, and the response mapping alone over the same raw records.</summary>
internal static class UnifiedListing
{
    public static async Task<(TimeSpan Listing, TimeSpan Mapping, int Count)> RunAsync(int upstreamPort, ProxySettings settings)
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder();
        BenchEngine.Add(services, configuration);
        services.AddSingleton<IConfiguration>(configuration.Build());
        services.AddLogging();
        await using var provider = services.BuildServiceProvider();
        var connection = await BenchEngine.ConnectAsync(provider, upstreamPort, settings.Records / settings.Pages);
        var executor = provider.GetRequiredService<OperationExecutor>();

        var count = 0;
        var listings = new List<TimeSpan>();
        for (var run = 0; run <= settings.Iterations; run++)
        {
            count = 0;
            var clock = Stopwatch.StartNew();
            await foreach (var page in executor.ListAsync(connection.Provider, connection.Engine, "contacts", new ListRequest { MaxPages = settings.Pages + 1 }))
                count += page.Records.Count;
            if (run > 0) listings.Add(clock.Elapsed);
        }

        // The mapping alone: the same expression over the same records, already parsed (what the listing pays on top of HTTP and parsing).
        using var http = new HttpClient();
        var raw = new List<JsonNode>();
        for (var p = 0; p < settings.Pages; p++)
        {
            var body = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{upstreamPort}/base/contacts?after={p}"))!;
            raw.AddRange(body["results"]!.AsArray().Select(n => n!));
        }
        var mapping = connection.Provider.Expression(connection.Provider.Definition.Resources["contacts"].Operations["list"].ResponseMapping!);
        var models = new UnifiedModelCatalog();
        var mappings = new List<TimeSpan>();
        for (var run = 0; run <= settings.Iterations; run++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var record in raw)
            {
                var mapped = mapping.Evaluate(record).Value as JsonObject;
                if (mapped is not null) _ = models.Validate("crm.contact", mapped);
            }
            if (run > 0) mappings.Add(clock.Elapsed);
        }
        return (Median(listings), Median(mappings), count);
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);
}
