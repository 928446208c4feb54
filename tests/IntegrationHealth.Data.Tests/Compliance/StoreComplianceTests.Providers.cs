using IntegrationHealth.Data.Catalogue;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Data.Tests.Compliance;

// Tenant-registered providers (issue 13, item 1): keys are unique per tenant and among platform rows, and registration
// on first sight is safe under concurrent writers.
public abstract partial class StoreComplianceTests
{
    [StoreFact]
    public async Task SaveChanges_ProviderKeyOfOtherTenant_IsAllowedAndSecondInOneTenantIsDuplicateKey()
    {
        var a = await TestWorld.CreateAsync(Store, accounts: 1);
        var b = await TestWorld.CreateAsync(Store, accounts: 1);
        await using (var db = Store.CreateContext())
        {
            db.Providers.Add(new Provider { TenantId = a.Tenant.Id, Key = "acme-erp", Name = "A's ERP" });
            db.Providers.Add(new Provider { TenantId = b.Tenant.Id, Key = "acme-erp", Name = "B's ERP" });
            await db.SaveChangesAsync();
        }

        await using var again = Store.CreateContext();
        again.Providers.Add(new Provider { TenantId = a.Tenant.Id, Key = "acme-erp", Name = "Again" });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());
        Assert.True(StoreErrors.IsDuplicateKey(error), error.ToString());
    }

    [StoreFact]
    public async Task SaveChanges_SecondPlatformProviderWithAKey_IsDuplicateKey()
    {
        await using var db = Store.CreateContext();
        db.Providers.Add(new Provider { Key = "salesforce", Name = "Another Salesforce" });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(StoreErrors.IsDuplicateKey(error), error.ToString());
    }

    [StoreFact]
    public async Task RegisterAsync_NewKeys_CreatesTenantRowsNamedAfterKeysOnceAndLeavesPlatformKeys()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        await using var db = Store.CreateContext();

        var first = await ProviderRegistration.RegisterAsync(db, world.Tenant.Id, ["pipedrive", "acme-erp", "salesforce", "acme-erp"]);
        var second = await ProviderRegistration.RegisterAsync(db, world.Tenant.Id, ["acme-erp", "pipedrive"]);

        Assert.Equal(["acme-erp", "pipedrive"], first.Select(p => p.Key));
        Assert.All(first, p => Assert.Equal((world.Tenant.Id, p.Key, (string?)null), (p.TenantId!.Value, p.Name, p.Category)));
        Assert.Equal(first.Select(p => p.Id), second.Select(p => p.Id));
        Assert.Equal(2, await db.Providers.CountAsync(p => p.TenantId == world.Tenant.Id));
        Assert.Equal(1, await db.Providers.CountAsync(p => p.Key == "salesforce"));
    }

    [StoreFact]
    public async Task RegisterAsync_ConcurrentWritersOfTwoTenants_OneRowPerTenantAndKey()
    {
        var tenants = new[] { await TestWorld.CreateAsync(Store, accounts: 1), await TestWorld.CreateAsync(Store, accounts: 1) };
        string[] keys = ["zoho-crm", "acme-erp", "pipedrive", "freshdesk", "gusto"];
        const int writersPerTenant = 6;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // an async gate: no thread blocks on it

        var running = tenants.SelectMany(world => Enumerable.Range(0, writersPerTenant).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            await using var db = Store.CreateContext();
            await start.Task;
            var rows = await ProviderRegistration.RegisterAsync(db, world.Tenant.Id, keys.OrderBy(_ => random.Next()));
            return (world.Tenant.Id, Ids: rows.ToDictionary(p => p.Key, p => p.Id));
        }))).ToList();
        start.SetResult();
        var results = await Task.WhenAll(running);

        await using var check = Store.CreateContext();
        foreach (var world in tenants)
        {
            var stored = await check.Providers.Where(p => p.TenantId == world.Tenant.Id).ToDictionaryAsync(p => p.Key, p => p.Id);
            Assert.Equal(keys.Order(), stored.Keys.Order());
            // Every writer got the one row of each key, whichever of them inserted it.
            Assert.All(results.Where(r => r.Id == world.Tenant.Id), r => Assert.Equal(stored.OrderBy(p => p.Key), r.Ids.OrderBy(p => p.Key)));
        }
    }

    [StoreFact]
    public async Task RegisterAsync_InTransactionRolledBack_LeavesNoRow()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        await using (var db = Store.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Single(await ProviderRegistration.RegisterAsync(db, world.Tenant.Id, ["rolled-back"]));
            await transaction.RollbackAsync();
        }

        await using var check = Store.CreateContext();
        Assert.Equal(0, await check.Providers.CountAsync(p => p.TenantId == world.Tenant.Id));
    }
}
