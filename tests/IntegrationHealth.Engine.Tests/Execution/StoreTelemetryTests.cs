using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Telemetry;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>The engine's telemetry through the real store: events, interned endpoint templates and failure details
/// land in a migrated database, in batches. Run on SQLite and on PostgreSQL by the subclasses below.</summary>
public abstract class StoreTelemetrySuite
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private const string Definition = """
        {
          "key": "conventions", "name": "Conventions", "base_url": "https://api.conventions.test",
          "auth": { "kind": "bearer" },
          "resources": { "items": { "model": "crm.contact", "operations": { "list": {
            "method": "GET", "path": "/items/next-url", "records": "items",
            "pagination": { "strategy": "next_url", "next_url_from": { "body": "links.next" } },
            "response_mapping": "{ 'id': id, 'email': id = 'item-12' ? 'not an address' : email }" } } } }
        }
        """;

    [StoreFact]
    public async Task ListAllAsync_TelemetryIsStoredWithEndpointTemplateAndDetails()
    {
        await using var database = await CreateDatabaseAsync();
        await using var provider = new ConventionsDouble(records: 25);
        await provider.StartAsync();
        int tenantId, providerId;
        await using (var db = database.CreateContext())
        {
            var tenant = new Tenant { Key = "acme", Name = "Acme", CreatedAt = DateTime.UtcNow };
            var row = new Provider { Key = "conventions", Name = "Conventions" };
            db.AddRange(tenant, row);
            await db.SaveChangesAsync();
            (tenantId, providerId) = (tenant.Id, row.Id);
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine:OriginOverrides:conventions"] = provider.Origin.GetLeftPart(UriPartial.Authority),
        }).Build());
        services.AddLogging();
        services.AddIntegrationHealthStore(database.Options);
        services.AddSingleton<ICredentialVault, InMemoryCredentialStore>(); // the subject is telemetry, not the vault
        services.AddEngine();
        await using var engine = services.BuildServiceProvider();
        var credentials = engine.GetRequiredService<ICredentialStore>();
        await credentials.SaveAsync("c", ConnectionCredentials.Of(("token", "t")));
        var connection = new EngineConnection { TenantId = tenantId, AccountId = 1, ProviderId = providerId, ConnectionId = null, CredentialKey = "c" };

        var (records, failures) = await engine.GetRequiredService<OperationExecutor>().ListAllAsync(TestDefinitions.Loader.Load(Definition), connection, "items");
        await engine.GetRequiredService<BatchingTelemetryWriter>().FlushAsync();

        Assert.Equal((24, 1), (records.Count, failures.Count));
        await using var check = database.CreateContext();
        var events = await check.TelemetryEvents.AsNoTracking().Where(e => e.TenantId == tenantId).ToListAsync();
        var requests = events.Where(e => e.Kind == TelemetryKind.Request).ToList();
        Assert.Equal(3, requests.Count);
        var template = await check.EndpointTemplates.AsNoTracking().SingleAsync(t => t.TenantId == tenantId);
        Assert.Equal(("/items/next-url", providerId), (template.Template, template.ProviderId));
        Assert.All(requests, e => Assert.Equal((template.Id, "items", (short?)200), (e.EndpointId, e.Resource, e.HttpStatus)));
        var mapping = Assert.Single(events, e => e.Kind == TelemetryKind.MappingFailure);
        var detail = await check.TelemetryEventDetails.AsNoTracking().SingleAsync(d => d.EventId == mapping.Id);
        Assert.Equal(("$.email", "item-12"), (detail.Field, detail.RecordId));
    }
}

public sealed class SqliteStoreTelemetryTests : StoreTelemetrySuite
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedSqliteAsync();
}

public sealed class PostgresStoreTelemetryTests : StoreTelemetrySuite, IRequiresPostgres
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedPostgresAsync();
}
