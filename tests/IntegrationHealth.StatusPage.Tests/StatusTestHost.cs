using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary>
/// The real application (web role only: the tests run the status job themselves) on Kestrel at 127.0.0.1, over its
/// own database, with a <see cref="FakeTimeProvider"/> as its clock.
/// </summary>
public sealed class StatusTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusTestHost(WebApplication app, TestDatabase database, FakeTimeProvider time)
    {
        _app = app;
        Database = database;
        Time = time;
        BaseAddress = new Uri(app.Urls.Single(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
    }

    public static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public Uri BaseAddress { get; }
    public TestDatabase Database { get; }
    public FakeTimeProvider Time { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="configure">Applied to the builder first (e.g. <c>ApiHost.DemoDefaults</c>).</param>
    public static async Task<StatusTestHost> StartAsync(IDictionary<string, string?>? settings = null, TestDatabase? database = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        database ??= TestDatabase.Sqlite();
        var time = new FakeTimeProvider(Start);
        var app = ApiHost.BuildWeb([], builder =>
        {
            configure?.Invoke(builder);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var values = new Dictionary<string, string?>
            {
                ["Roles"] = "Web",
                ["Database:Provider"] = database.Provider,
                ["Database:ConnectionString"] = database.ConnectionString,
                ["StatusPage:CacheDuration"] = "00:10:00",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<TimeProvider>(time);
        });
        await app.StartAsync();
        return new StatusTestHost(app, database, time);
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async Task<string> CreateKeyAsync(string tenant, ApiKeyScopes scopes)
    {
        var issuer = Services.GetRequiredService<ApiKeyIssuer>();
        var row = await issuer.EnsureTenantAsync(tenant);
        return (await issuer.CreateAsync(row.Id, scopes, null)).Key;
    }

    public async Task<T> QueryAsync<T>(Func<IntegrationHealthDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>HTTP helpers.</summary>
public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, string? json, int expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = Json(json);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{method} {path}: expected {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> PostAsync(HttpClient client, string path, string json, int expected = 201) => SendAsync(client, HttpMethod.Post, path, json, expected);

    public static Task<JsonElement> GetAsync(HttpClient client, string path, int expected = 200) => SendAsync(client, HttpMethod.Get, path, null, expected);
}
