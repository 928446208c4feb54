using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Data.Tests.Compliance;

// ASP.NET Core Data Protection keys persisted in the store: the key ring every web and job process shares, so what
// one process protects (connection credentials, later) another one unprotects.
public abstract partial class StoreComplianceTests
{
    private const string ProtectionPurpose = "IntegrationHealth.Tests.Credentials";

    [StoreFact]
    public async Task DataProtection_KeysPersistedToStore_AreInTheTableAndShared()
    {
        var secret = "client-secret-" + Guid.NewGuid().ToString("N");
        await using var first = DataProtectionServices();
        await using var second = DataProtectionServices();

        var payload = first.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectionPurpose).Protect(secret);

        var firstKeys = first.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => k.KeyId).Order().ToList();
        Assert.NotEmpty(firstKeys);
        await using (var db = Store.CreateContext())
        {
            var rows = await db.DataProtectionKeys.AsNoTracking().ToListAsync();
            Assert.Equal(firstKeys, rows.Select(r => Guid.Parse(r.FriendlyName!["key-".Length..])).Order());
            Assert.All(rows, r => Assert.Contains(r.FriendlyName!["key-".Length..], r.Xml));
            // By the physical table name, not through the mapping: the migration created data_protection_keys.
            var count = await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM data_protection_keys").SingleAsync();
            Assert.Equal(rows.Count, count);
        }

        // The second container never saw the first one's key except through the table.
        Assert.Equal(firstKeys, second.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => k.KeyId).Order());
        var secondProtector = second.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectionPurpose);
        Assert.Equal(secret, secondProtector.Unprotect(payload));
        Assert.Equal(secret, first.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectionPurpose)
            .Unprotect(secondProtector.Protect(secret)));
    }

    /// <summary>A container as a separate process builds it: its own store registration and DbContext pool, and Data
    /// Protection with its keys in the store.</summary>
    private ServiceProvider DataProtectionServices()
    {
        var services = new ServiceCollection().AddLogging().AddIntegrationHealthStore(Store.Options);
        // Processes must share the application name as well as the keys (the default is each host's content root,
        // which differs between machines); there is no host here, but the wiring is the one every host needs.
        services.AddDataProtection().SetApplicationName("IntegrationHealth").PersistKeysToDbContext<IntegrationHealthDbContext>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
