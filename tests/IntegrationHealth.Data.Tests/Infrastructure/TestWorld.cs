using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Data.Tests.Infrastructure;

/// <summary>A tenant with accounts and connections, created fresh for one test so tests sharing a database never
/// see each other's rows.</summary>
public sealed record TestWorld(Tenant Tenant, IReadOnlyList<Account> Accounts, Provider Salesforce, Provider Hubspot, Connection Connection)
{
    public static readonly DateTime Epoch = new(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Creates a tenant with <paramref name="accounts"/> accounts (external ids <c>acct-1</c>…) and one
    /// Salesforce connection on the first account.</summary>
    public static Task<TestWorld> CreateAsync(StoreFixture store, int accounts = 2, string? tenantKey = null)
        => CreateAsync(store.CreateContext, accounts, tenantKey);

    /// <summary>The same in the database <paramref name="createContext"/> opens (a test's own database).</summary>
    public static async Task<TestWorld> CreateAsync(Func<IntegrationHealthDbContext> createContext, int accounts = 2, string? tenantKey = null)
    {
        await using var db = createContext();
        var tenant = new Tenant { Key = tenantKey ?? "t-" + Guid.NewGuid().ToString("N")[..12], Name = "Test tenant", CreatedAt = Epoch };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();

        var created = Enumerable.Range(1, accounts).Select(i => new Account
        {
            TenantId = tenant.Id,
            ExternalId = $"acct-{i}",
            Name = $"Account {i}",
            Arr = 12_000.50m * i,
            Segment = AccountSegment.MidMarket,
            Seats = 10 * i,
            CreatedAt = Epoch,
        }).ToList();
        db.Accounts.AddRange(created);
        await db.SaveChangesAsync();

        var salesforce = db.Providers.Single(p => p.Key == "salesforce");
        var hubspot = db.Providers.Single(p => p.Key == "hubspot");
        var connection = new Connection
        {
            TenantId = tenant.Id,
            AccountId = created[0].Id,
            ProviderId = salesforce.Id,
            ExternalId = "conn-1",
            Status = ConnectionStatus.Active,
            AuthKind = AuthKind.OAuth2,
            CreatedAt = Epoch,
            UpdatedAt = Epoch,
        };
        db.Connections.Add(connection);
        await db.SaveChangesAsync();
        return new TestWorld(tenant, created, salesforce, hubspot, connection);
    }

    /// <summary>A request event of account <paramref name="accountIndex"/> at <see cref="Epoch"/> + <paramref name="minutes"/>.</summary>
    public TelemetryEvent Event(int accountIndex = 0, double minutes = 0, Guid? id = null, Provider? provider = null) => new()
    {
        Id = id ?? Guid.NewGuid(),
        OccurredAt = Epoch.AddMinutes(minutes),
        TenantId = Tenant.Id,
        AccountId = Accounts[accountIndex].Id,
        ProviderId = (provider ?? Salesforce).Id,
        ConnectionId = accountIndex == 0 && (provider ?? Salesforce).Id == Salesforce.Id ? Connection.Id : null,
        Kind = TelemetryKind.Request,
        Outcome = TelemetryOutcome.Success,
        ErrorClass = ErrorClass.None,
        Method = HttpMethodCode.Get,
        HttpStatus = 200,
        LatencyMs = 120,
        RateLimitRemaining = 900,
        RateLimitLimit = 1000,
        Resource = "contacts",
    };

    /// <summary><paramref name="count"/> distinct events of one account, one minute apart.</summary>
    public List<TelemetryEvent> Events(int count, int accountIndex = 0, double startMinutes = 0)
        => Enumerable.Range(0, count).Select(i => Event(accountIndex, startMinutes + i)).ToList();
}
