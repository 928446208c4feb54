using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace IntegrationHealth.Data.Tests.Compliance;

/// <summary>
/// Behaviour every store provider must have. Each provider's test class subclasses this with its own fixture (one
/// fresh database per class); each test creates its own tenant, so tests never depend on each other's rows.
/// This part: schema, migrations and relational constraints. Telemetry writes are in the other part.
/// </summary>
public abstract partial class StoreComplianceTests(StoreFixture store, ITestOutputHelper output)
{
    protected StoreFixture Store { get; } = store;

    protected ITestOutputHelper Output { get; } = output;

    [StoreFact]
    public async Task Migrate_EmptyDatabase_AppliesEveryMigrationAndSeedsCatalogue()
    {
        await using var db = Store.CreateContext();

        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        Assert.NotEmpty(applied);
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(Store.Provider, db.StoreProvider);

        var keys = await db.Providers.Where(p => p.Id <= 8).OrderBy(p => p.Id).Select(p => p.Key).ToListAsync();
        Assert.Equal(["salesforce", "hubspot", "bamboohr", "zendesk", "slack", "netsuite", "workday", "quickbooks"], keys);
    }

    [StoreFact]
    public async Task Migrate_AlreadyMigrated_IsNoOp()
    {
        await StoreMigrator.MigrateAsync(Store.Services);

        await using var db = Store.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(8, await db.Providers.CountAsync(p => p.Id <= 8));
    }

    [StoreFact]
    public async Task HasPendingModelChanges_CurrentModel_IsFalse()
    {
        await using var db = Store.CreateContext();

        // Fails when the model changed without a migration: add one with dotnet ef (see the DbContext remarks).
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration captures.");
    }

    [StoreFact]
    public async Task SaveChanges_ProviderAddedAfterSeed_GetsFreshId()
    {
        await using var db = Store.CreateContext();
        var provider = new Provider { Key = "p-" + Guid.NewGuid().ToString("N")[..10], Name = "Custom", Category = "crm" };
        db.Providers.Add(provider);

        await db.SaveChangesAsync();

        Assert.True(provider.Id > 8, $"new provider got id {provider.Id}, which collides with the seeded catalogue");
    }

    [StoreFact]
    public async Task SaveChanges_DuplicateTenantKey_IsDuplicateKey()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        await using var db = Store.CreateContext();
        db.Tenants.Add(new Tenant { Key = world.Tenant.Key, Name = "Copy", CreatedAt = TestWorld.Epoch });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(StoreErrors.IsDuplicateKey(error), error.ToString());
    }

    [StoreFact]
    public async Task SaveChanges_DuplicateAccountExternalIdInTenant_IsDuplicateKey()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        await using var db = Store.CreateContext();
        db.Accounts.Add(new Account { TenantId = world.Tenant.Id, ExternalId = "acct-1", Name = "Again", CreatedAt = TestWorld.Epoch });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(StoreErrors.IsDuplicateKey(error), error.ToString());
        Assert.False(StoreErrors.IsForeignKeyViolation(error));
    }

    [StoreFact]
    public async Task SaveChanges_SameAccountExternalIdInOtherTenant_IsAllowed()
    {
        await TestWorld.CreateAsync(Store, accounts: 1);
        var other = await TestWorld.CreateAsync(Store, accounts: 1);

        await using var db = Store.CreateContext();
        Assert.Equal(1, await db.Accounts.CountAsync(a => a.TenantId == other.Tenant.Id && a.ExternalId == "acct-1"));
    }

    [StoreFact]
    public async Task SaveChanges_DuplicateConnectionExternalId_IsDuplicateKey()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        await using var db = Store.CreateContext();
        db.Connections.Add(NewConnection(world, "conn-1"));

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(StoreErrors.IsDuplicateKey(error), error.ToString());
    }

    [StoreFact]
    public async Task SaveChanges_SecondConnectionToSameProvider_IsAllowed()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        await using var db = Store.CreateContext();
        db.Connections.Add(NewConnection(world, "conn-sandbox"));

        await db.SaveChangesAsync();

        Assert.Equal(2, await db.Connections.CountAsync(c => c.AccountId == world.Accounts[0].Id && c.ProviderId == world.Salesforce.Id));
    }

    [StoreFact]
    public async Task SaveChanges_DuplicateTicketAndSurveyExternalIds_AreDuplicateKeys()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        var account = world.Accounts[0];
        await using (var db = Store.CreateContext())
        {
            db.SupportTickets.Add(NewTicket(world, "T-1"));
            db.SurveyResponses.Add(NewSurvey(world, "S-1", 9));
            await db.SaveChangesAsync();
        }

        await using (var db = Store.CreateContext())
        {
            db.SupportTickets.Add(NewTicket(world, "T-1"));
            var ticketError = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(StoreErrors.IsDuplicateKey(ticketError), ticketError.ToString());
        }

        await using (var db = Store.CreateContext())
        {
            db.SurveyResponses.Add(NewSurvey(world, "S-1", 7));
            var surveyError = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(StoreErrors.IsDuplicateKey(surveyError), surveyError.ToString());
        }

        await using var check = Store.CreateContext();
        Assert.Equal(1, await check.SupportTickets.CountAsync(t => t.AccountId == account.Id));
        Assert.Equal(9, (await check.SurveyResponses.SingleAsync(s => s.AccountId == account.Id)).Score);
    }

    [StoreFact]
    public async Task SaveChanges_SurveyScoreOutOfRange_IsRejected()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        await using var db = Store.CreateContext();
        db.SurveyResponses.Add(NewSurvey(world, "S-bad", 11));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [StoreFact]
    public async Task SaveChanges_DuplicateApiKeyPrefix_IsDuplicateKey()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        var prefix = Guid.NewGuid().ToString("N")[..12];
        await using (var db = Store.CreateContext())
        {
            db.ApiKeys.Add(new ApiKey { TenantId = world.Tenant.Id, Prefix = prefix, Hash = new byte[32], Scopes = ApiKeyScopes.Ingest | ApiKeyScopes.Read, CreatedAt = TestWorld.Epoch });
            await db.SaveChangesAsync();
        }

        await using var again = Store.CreateContext();
        again.ApiKeys.Add(new ApiKey { TenantId = world.Tenant.Id, Prefix = prefix, Hash = new byte[32], CreatedAt = TestWorld.Epoch });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());
        Assert.True(StoreErrors.IsDuplicateKey(error), error.ToString());

        await using var check = Store.CreateContext();
        Assert.Equal(ApiKeyScopes.Ingest | ApiKeyScopes.Read, (await check.ApiKeys.SingleAsync(k => k.Prefix == prefix)).Scopes);
    }

    [StoreFact]
    public async Task SaveChanges_AccountOfMissingTenant_IsForeignKeyViolation()
    {
        await using var db = Store.CreateContext();
        db.Accounts.Add(new Account { TenantId = int.MaxValue, ExternalId = "orphan", Name = "Orphan", CreatedAt = TestWorld.Epoch });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(StoreErrors.IsForeignKeyViolation(error), error.ToString());
    }

    [StoreFact]
    public async Task SaveChanges_AccountFields_RoundTrip()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 2);
        await using (var db = Store.CreateContext())
        {
            db.GroundTruths.Add(new AccountGroundTruth { AccountId = world.Accounts[1].Id, TenantId = world.Tenant.Id, LatentRisk = 0.25, HealthyConnections = 3, Drivers = "none" });
            await db.SaveChangesAsync();
        }

        await using var check = Store.CreateContext();
        var account = await check.Accounts.SingleAsync(a => a.Id == world.Accounts[1].Id);
        Assert.Equal(24_001.00m, account.Arr);
        Assert.Equal(AccountSegment.MidMarket, account.Segment);
        Assert.Equal(TestWorld.Epoch, account.CreatedAt);
        var truth = await check.GroundTruths.SingleAsync(g => g.AccountId == account.Id);
        Assert.Equal(0.25, truth.LatentRisk);
        Assert.Equal(3, truth.HealthyConnections);
    }

    private static Connection NewConnection(TestWorld world, string externalId) => new()
    {
        TenantId = world.Tenant.Id,
        AccountId = world.Accounts[0].Id,
        ProviderId = world.Salesforce.Id,
        ExternalId = externalId,
        CreatedAt = TestWorld.Epoch,
        UpdatedAt = TestWorld.Epoch,
    };

    private static SupportTicket NewTicket(TestWorld world, string externalId) => new()
    {
        TenantId = world.Tenant.Id,
        AccountId = world.Accounts[0].Id,
        ExternalId = externalId,
        ProviderId = world.Salesforce.Id,
        Subject = "Sync stopped",
        Priority = "high",
        OpenedAt = TestWorld.Epoch,
    };

    private static SurveyResponse NewSurvey(TestWorld world, string externalId, int score) => new()
    {
        TenantId = world.Tenant.Id,
        AccountId = world.Accounts[0].Id,
        ExternalId = externalId,
        Score = score,
        RespondedAt = TestWorld.Epoch,
    };
}
