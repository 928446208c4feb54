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
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Testing;
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
/// The engine's proxy against calling the upstream directly, against a bare YARP forwarder and against Debian's nginx
/// <c>proxy_pass</c> to the same upstream (keep-alive pool), measured by wrk: p50/p99 added latency at 1 connection,
/// requests/s at 64 connections, ratios against direct. Two upstreams: the HubSpot double (the issue's measurement) and a
/// fixed 1 KB answer (the proxy's own cost with nothing else to hide it). Then a unified listing (the executor's <c>ListAsync</c>) of N records over P pages from a
/// cursor-paginated upstream: records/s and the share of the time spent in the JSONata response mapping.
/// </summary>
/// <remarks>
/// The proxy runs in a child process (<see cref="ProxyChild"/>) on Kestrel with the engine's <see cref="ConnectionProxy"/>
/// over a fixed connection (bearer credential injected, telemetry recorded and discarded); API-key authentication and
/// the connection lookup of <c>/v1/proxy</c> are not part of it. Upstream, proxy, nginx and wrk share the machine: run it on a quiet one.
/// </remarks>
internal static class ProxyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = ProxySettings.Parse(args);
        if (settings is null) return 2;

        await using var upstream = await Upstream.StartAsync(settings.Records, settings.Pages);
        var failed = false;
        var wrk = Tools.Find("wrk");
        var nginxPath = Tools.Find("nginx");
        if (wrk is null)
        {
            Console.WriteLine("!! wrk is not installed (tests/IntegrationHealth.Benchmarks/proxy-bench.sh installs it); proxy latency and rps skipped");
            failed = true;
        }
        else
        {
            if (nginxPath is null) Console.WriteLine("!! nginx is not installed (proxy-bench.sh installs it); the nginx column is skipped");
            // The issue's measurement: the HubSpot double (a page of 10 contacts, bearer checked, rate-limit headers), called
            // directly, through the engine's proxy and through nginx.
            await using var hubspot = new HubSpotDouble(contacts: 1000) { RequestLogLimit = 0 };
            await hubspot.StartAsync();
            var origin = hubspot.Origin.GetLeftPart(UriPartial.Authority);
            failed |= !await CompareAsync("the HubSpot double, GET /crm/v3/objects/contacts?limit=10 (a page of 10 contacts)", wrk, nginxPath,
                settings, origin, "/crm/v3/objects/contacts?limit=10", $"Bearer {hubspot.ValidToken}", targets: true);
            // The harshest case: an upstream that does nothing but write 1 KB of fixed bytes, so the proxy's own cost is all
            // there is to see.
            failed |= !await CompareAsync("a fixed 1 KB JSON answer, GET /base/ping (the cheapest possible upstream)", wrk, nginxPath,
                settings, upstream.Url(""), "/base/ping", "Bearer bench-token", targets: false);
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

    /// <summary>
    /// One upstream called four ways with wrk: directly, through the engine's <see cref="ConnectionProxy"/>, through a bare
    /// YARP forwarder (<see cref="BareForwarder"/>: the library's own floor here) and through nginx <c>proxy_pass</c>.
    /// Prints the table; false when wrk saw errors.
    /// </summary>
    private static async Task<bool> CompareAsync(string title, string wrk, string? nginxPath, ProxySettings settings, string origin,
        string pathAndQuery, string authorization, bool targets)
    {
        var upstreamPort = new Uri(origin).Port;
        await using var proxy = await ProxyChild.StartAsync("engine", origin, authorization["Bearer ".Length..]);
        await using var bare = await ProxyChild.StartAsync("bare", origin, "");
        await using var api = await ApiProxy.StartAsync(origin, authorization["Bearer ".Length..]);
        await using var nginx = nginxPath is null ? null : await Nginx.StartAsync(nginxPath, upstreamPort, pathAndQuery, authorization);
        var list = new List<(string Name, string Url, string Authorization)>
        {
            ("direct", origin + pathAndQuery, authorization),
            ("engine proxy", proxy.Url("/p" + pathAndQuery), authorization),
            ("API /v1/proxy", api.Url(pathAndQuery), $"Bearer {api.Key}"),
            ("bare YARP forwarder", bare.Url(pathAndQuery), authorization),
        };
        if (nginx is not null) list.Add(("nginx proxy_pass", nginx.Url(pathAndQuery), authorization));

        Console.WriteLine();
        Console.WriteLine($"# proxy: {title}, {settings.Duration.TotalSeconds:0} s per wrk run");
        // The caller's own credential goes to every target: the upstream checks it when called directly or through the
        // forwarder and nginx; the engine's proxy strips it and injects the connection's; the API authenticates its key.
        foreach (var (_, url, auth) in list) await Wrk.RunAsync(wrk, url, 2, 16, TimeSpan.FromSeconds(Math.Min(2, settings.Duration.TotalSeconds)), [$"Authorization: {auth}"]); // warm-up
        var one = new Dictionary<string, WrkResult>();
        var many = new Dictionary<string, WrkResult>();
        foreach (var (name, url, auth) in list)
        {
            one[name] = await Wrk.RunAsync(wrk, url, 1, 1, settings.Duration, [$"Authorization: {auth}"]);
            many[name] = await Wrk.RunAsync(wrk, url, 2, 64, settings.Duration, [$"Authorization: {auth}"]);
        }
        var direct = one["direct"];
        Console.WriteLine();
        Console.WriteLine("| target | p50 ms (1 conn) | p99 ms | added p50 ms | added p99 ms | rps (64 conn) | rps / direct |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var ok = true;
        foreach (var (name, _, _) in list)
        {
            var o = one[name];
            var m = many[name];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {o.P50Ms:0.000} | {o.P99Ms:0.000} | {o.P50Ms - direct.P50Ms:0.000} | {o.P99Ms - direct.P99Ms:0.000} | {m.RequestsPerSecond:0} | {m.RequestsPerSecond / many["direct"].RequestsPerSecond:P0} |"));
            if (o.Errors > 0 || m.Errors > 0)
            {
                Console.WriteLine($"!! {name}: {o.Errors + m.Errors} wrk errors or non-2xx answers");
                ok = false;
            }
        }
        var added = one["engine proxy"].P50Ms - direct.P50Ms;
        var share = many["engine proxy"].RequestsPerSecond / many["direct"].RequestsPerSecond;
        Console.WriteLine(targets
            ? string.Create(CultureInfo.InvariantCulture, $"targets: added p50 <= 0.5 ms: {added:0.000} ms {(added <= 0.5 ? "met" : "NOT met")}; rps >= 70% of direct: {share:P0} {(share >= 0.7 ? "met" : "NOT met")}")
            : string.Create(CultureInfo.InvariantCulture, $"added p50 {added:0.000} ms; rps {share:P0} of direct"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine proxy rps / bare YARP forwarder rps: {many["engine proxy"].RequestsPerSecond / many["bare YARP forwarder"].RequestsPerSecond:P0} (what the engine's own per-call work leaves of the library's throughput)"));
        return ok;
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
internal static class Upstream
{
    public static Task<LocalServer> StartAsync(int records, int pages) => LocalServer.StartAsync(configure: null, app =>
    {
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
        return Task.CompletedTask;
    });

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

}

/// <summary>A definition of the upstream: bearer auth, the contacts list paged by cursor, mapped to crm.contact.</summary>
internal static class BenchDefinition
{
    public static string Json(string baseUrl, int pageSize) => $$"""
        {
          "key": "bench", "name": "Bench", "base_url": "{{baseUrl}}",
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

    public static async Task<ResolvedConnection> ConnectAsync(IServiceProvider services, string baseUrl, int pageSize, string token = "bench-token")
    {
        var provider = new ProviderDefinitionLoader(new UnifiedModelCatalog()).Load(BenchDefinition.Json(baseUrl, pageSize));
        await services.GetRequiredService<ICredentialStore>().SaveAsync("bench", ConnectionCredentials.Of(("token", token)));
        var engine = new EngineConnection { TenantId = 1, AccountId = 1, ProviderId = 1, ConnectionId = 1, CredentialKey = "bench" };
        return new ResolvedConnection(new Connection { Id = 1, TenantId = 1, AccountId = 1, ProviderId = 1, ExternalId = "bench" }, provider.Key, provider, engine);
    }
}

/// <summary>The engine's proxy on Kestrel: <c>/p/{**path}</c> forwards to the upstream's origin with a bearer token injected.</summary>
internal static class ProxyServer
{
    public static Task<LocalServer> StartAsync(string origin, string token) => LocalServer.StartAsync(
        builder => BenchEngine.Add(builder.Services, builder.Configuration),
        async app =>
        {
            var connection = await BenchEngine.ConnectAsync(app.Services, origin, 100, token);
            var proxy = app.Services.GetRequiredService<ConnectionProxy>();
            app.Map("/p/{**path}", async (HttpContext c) => { await proxy.ForwardAsync(c, connection, EngineProxyApi.RawPathAfter(c, 1)); });
        });
}

/// <summary>
/// The floor for any proxy built on YARP here: Kestrel and <see cref="Yarp.ReverseProxy.Forwarder.IHttpForwarder"/>
/// with the default transformer and the same <see cref="System.Net.Http.SocketsHttpHandler"/> settings as the engine's proxy
/// (no redirects, no decompression, no cookies), but no connection, credential, destination check, rate-limit headers or
/// telemetry. The engine proxy's requests/s over this one is what the engine's own per-call work costs.
/// </summary>
internal static class BareForwarder
{
    public static Task<LocalServer> StartAsync(string origin) => LocalServer.StartAsync(
        builder => builder.Services.AddHttpForwarder(),
        app =>
        {
            var client = new System.Net.Http.HttpMessageInvoker(new System.Net.Http.SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                UseCookies = false,
                ActivityHeadersPropagator = null,
            }, disposeHandler: true);
            app.Lifetime.ApplicationStopped.Register(client.Dispose);
            var forwarder = app.Services.GetRequiredService<Yarp.ReverseProxy.Forwarder.IHttpForwarder>();
            app.Map("/{**path}", async (HttpContext c) =>
            {
                await forwarder.SendAsync(c, origin, client, Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig.Empty, Yarp.ReverseProxy.Forwarder.HttpTransformer.Default);
            });
            return Task.CompletedTask;
        });
}

/// <summary>A Kestrel server of this benchmark on 127.0.0.1 (a free port), slim, without logging.</summary>
internal sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Builds the app (services by <paramref name="configure"/>, endpoints by <paramref name="map"/>) and starts it.</summary>
    public static async Task<LocalServer> StartAsync(Action<WebApplicationBuilder>? configure, Func<WebApplication, Task> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        configure?.Invoke(builder);
        var app = builder.Build();
        await map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LocalServer(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// A proxy in a process of its own, as nginx is and as the API is in production (the upstream double stands for a remote
/// provider, so it must not share the proxy's thread pool and GC): this program started again with the internal
/// <c>proxy-serve</c> verb, which hosts <see cref="ProxyServer"/> or <see cref="BareForwarder"/>, prints its port and
/// serves until its standard input closes.
/// </summary>
internal sealed class ProxyChild : IAsyncDisposable
{
    private readonly Process _process;

    private ProxyChild(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public static async Task<ProxyChild> StartAsync(string kind, string origin, string token)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The product's GC (the API project turns server GC off), not this benchmark's.
        start.Environment["DOTNET_gcServer"] = "0";
        // Run as "dotnet IntegrationHealth.Benchmarks.dll" or as the apphost, whichever started us.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ProxyChild).Assembly.Location);
        foreach (var a in new[] { "proxy-serve", kind, origin, token }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync();
        if (line is null || !line.StartsWith("port ", StringComparison.Ordinal))
            throw new InvalidOperationException($"the {kind} proxy process did not start: {line}");
        return new ProxyChild(process, int.Parse(line[5..], CultureInfo.InvariantCulture));
    }

    /// <summary>The child's side: <c>proxy-serve engine|bare ORIGIN TOKEN</c>.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        if (args.Length < 2) return 2;
        await using var server = args[0] == "engine"
            ? await ProxyServer.StartAsync(args[1], args.Length > 2 ? args[2] : "")
            : await BareForwarder.StartAsync(args[1]);
        Console.WriteLine($"port {server.Port}");
        Console.Out.Flush();
        // Until the parent closes our standard input (or dies).
        while (await Console.In.ReadLineAsync() is not null)
        {
        }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}

/// <summary>
/// The product's own <c>/v1/proxy/{connection}/{**path}</c>: the API (<c>serve</c>, SQLite store) as a child process, the
/// upstream defined as data through the admin API and a connection imported with its bearer token, exactly as the README
/// shows; every call authenticates the API key, looks the connection up, forwards and records a telemetry event in the
/// store.
/// </summary>
internal sealed class ApiProxy : IAsyncDisposable
{
    private readonly ApiProcess _api;
    private readonly SqliteTestDatabase _database;

    private ApiProxy(ApiProcess api, SqliteTestDatabase database, string key)
    {
        _api = api;
        _database = database;
        Key = key;
    }

    /// <summary>The API key (read and admin scopes) the calls send.</summary>
    public string Key { get; }

    /// <summary>The proxy URL of <paramref name="pathAndQuery"/> on the benchmark's connection.</summary>
    public string Url(string pathAndQuery) => new Uri(_api.BaseAddress, "v1/proxy/bench-connection" + pathAndQuery).AbsoluteUri;

    public static async Task<ApiProxy> StartAsync(string origin, string token)
    {
        var database = TestDatabase.Sqlite("ih-proxy-bench");
        var options = new ApiProcessOptions
        {
            Database = database.Options,
            Environment = new Dictionary<string, string?>
            {
                ["Roles"] = "Web",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Engine__Proxy__AllowedNetworks__0"] = "127.0.0.1/32",
                ["Engine__AllowedNetworks__0"] = "127.0.0.1/32",
            },
        };
        var key = await ApiProcess.CreateKeyAsync(options, "bench", "admin", "proxy bench", TimeSpan.FromMinutes(2));
        var api = await ApiProcess.StartReadyAsync(options, TimeSpan.FromSeconds(120), "serve");
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        async Task SendAsync(HttpMethod method, string path, string json)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method, path)
            {
                Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            });
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await SendAsync(HttpMethod.Post, "v1/accounts", """[{"externalId":"bench-account","name":"Bench account"}]""");
        await SendAsync(HttpMethod.Put, "v1/engine/providers/bench", BenchDefinition.Json(origin, 100));
        await SendAsync(HttpMethod.Post, "v1/connections/import",
            System.Text.Json.JsonSerializer.Serialize(new[] { new { externalId = "bench-connection", account = "bench-account", provider = "bench", credentials = new { token } } }));
        return new ApiProxy(api, database, key);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _database.DisposeAsync();
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
        var connection = await BenchEngine.ConnectAsync(provider, $"http://127.0.0.1:{upstreamPort}/base", settings.Records / settings.Pages);
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
