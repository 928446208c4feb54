using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Testing;
using IntegrationHealth.Web.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Analytics.Tests.Signals;

/// <summary>The signals' services over one test database, as the job server composes them (store, Data Protection,
/// the webhook outbox with private addresses allowed for the 127.0.0.1 receivers, the signals), on a fake clock that
/// starts at the real time (receivers check signature timestamps against their own clock).</summary>
public sealed class SignalsHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public SignalsHarness(TestDatabase database)
    {
        Database = database;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:AllowPrivateAddresses"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddIntegrationHealthStore(database.Options);
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddWebhooks();
        services.AddSignals();
        _services = services.BuildServiceProvider();
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public async Task<int> TenantAsync(string key)
    {
        await using var db = Database.CreateContext();
        var tenant = new Tenant { Key = key, Name = key, CreatedAt = Now };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        return tenant.Id;
    }

    public async Task<(int Id, string Secret)> EndpointAsync(int tenantId, Uri url, WebhookEndpointFormat format = WebhookEndpointFormat.Standard,
        string? eventTypes = null)
    {
        var secret = WebhookSignature.NewSecret();
        await using var db = Database.CreateContext();
        var endpoint = new WebhookEndpoint
        {
            TenantId = tenantId, Url = url.ToString(), Format = format, EventTypes = eventTypes, CreatedAt = Now,
            ProtectedSecrets = Get<WebhookSecrets>().Protect([new WebhookSecret(secret, null)]),
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync();
        return (endpoint.Id, secret);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
