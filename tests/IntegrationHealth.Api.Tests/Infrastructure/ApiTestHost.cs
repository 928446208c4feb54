using System.Net.Http.Headers;
using System.Net.Http.Json;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;

namespace IntegrationHealth.Api.Tests.Infrastructure;

/// <summary>
/// The real application on Kestrel, bound to 127.0.0.1 on a free port, over a database of its own. Tests talk to it
/// with a real <see cref="HttpClient"/>; they reach into its services only to arrange data (keys) and to count rows.
/// </summary>
public sealed class ApiTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;

    private ApiTestHost(WebApplication app, TestDatabase database, bool ownsDatabase, FakeLogCollector logs)
    {
        _app = app;
        _database = database;
        _ownsDatabase = ownsDatabase;
        Logs = logs;
        BaseAddress = new Uri(app.Urls.Single(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public WebApplication App => _app;

    /// <summary>Every message the app logged at or above the start-up log level.</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>Each of <see cref="Logs"/> as one line with all a log sink could write: level, category, event id,
    /// formatted message, structured values, scopes and exception.</summary>
    public IReadOnlyList<string> LogLines => [.. Logs.GetSnapshot().Select(r =>
        $"{r.Level} {r.Category}[{r.Id.Id}] {r.Message} | " +
        $"{(r.State is IEnumerable<KeyValuePair<string, string?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : r.State)} | " +
        $"scopes: {string.Join(" ; ", r.Scopes)} | {r.Exception}")];

    public TestDatabase Database => _database;

    /// <summary>
    /// Starts the app over <paramref name="database"/> with <paramref name="settings"/> layered on top;
    /// <paramref name="configure"/> runs first (e.g. what a verb adds, such as <see cref="ApiHost.DemoDefaults"/>).
    /// </summary>
    public static async Task<ApiTestHost> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null,
        bool ownsDatabase = true, LogLevel logLevel = LogLevel.Information, Action<WebApplicationBuilder>? configure = null)
    {
        var logs = new FakeLogCollector();
        var app = ApiHost.BuildWeb([], builder =>
        {
            configure?.Invoke(builder);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var values = new Dictionary<string, string?>
            {
                ["Database:Provider"] = database.Provider,
                ["Database:ConnectionString"] = database.ConnectionString,
                ["Hangfire:WorkerCount"] = "1",
                ["Hangfire:ShutdownTimeout"] = "00:00:01",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new FakeLoggerProvider(logs));
            builder.Services.Configure<LoggerFilterOptions>(options =>
            {
                options.Rules.Clear();
                options.MinLevel = logLevel;
            });
        });
        await app.StartAsync();
        return new ApiTestHost(app, database, ownsDatabase, logs);
    }

    /// <summary>An HTTP client for the app, sending <paramref name="apiKey"/> as a Bearer token when given.</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Creates a key directly (the tenant too, if missing) and returns the secret.</summary>
    public async Task<string> CreateKeyAsync(string tenant, ApiKeyScopes scopes, string? name = null)
    {
        var issuer = Services.GetRequiredService<ApiKeyIssuer>();
        var row = await issuer.EnsureTenantAsync(tenant);
        return (await issuer.CreateAsync(row.Id, scopes, name)).Key;
    }

    /// <summary>Runs a query against the app's database.</summary>
    public async Task<T> QueryAsync<T>(Func<IntegrationHealthDbContext, Task<T>> query)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await query(db);
    }

    public Task<int> CountEventsAsync() => QueryAsync(db => db.TelemetryEvents.CountAsync());

    /// <summary>Creates accounts and their connections through the API (so upserts are exercised by every suite).</summary>
    public async Task SeedAsync(string apiKey, params (string Account, (string Id, string Provider)[] Connections)[] accounts)
    {
        using var client = Client(apiKey);
        var accountResponse = await client.PostAsJsonAsync("/v1/accounts",
            accounts.Select(a => new { externalId = a.Account, name = "Account " + a.Account, segment = "smb" }));
        await TestHttp.EnsureSuccessAsync(accountResponse);
        var connections = accounts.SelectMany(a => a.Connections.Select(c => new { externalId = c.Id, account = a.Account, provider = c.Provider })).ToList();
        if (connections.Count == 0) return;
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/connections", connections));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDatabase) await _database.DisposeAsync();
    }
}
