using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Demo;

/// <summary>Store ids of a seeded world's tenant, and of its accounts, providers and connections by world index.</summary>
public sealed record DemoStoreIds(int TenantId, int[] Accounts, int[] Providers, int[] Connections)
{
    /// <summary>The store row of a generated event.</summary>
    public TelemetryEvent ToTelemetryEvent(in DemoEvent e) => new()
    {
        Id = e.Id,
        OccurredAt = e.OccurredAt,
        TenantId = TenantId,
        AccountId = Accounts[e.AccountIndex],
        ProviderId = Providers[e.ProviderIndex],
        ConnectionId = e.ConnectionIndex >= 0 ? Connections[e.ConnectionIndex] : null,
        Kind = e.Kind,
        Outcome = e.Outcome,
        ErrorClass = e.ErrorClass,
        Method = e.Method,
        HttpStatus = e.HttpStatus,
        LatencyMs = e.LatencyMs,
        Records = e.Records,
        RateLimitRemaining = e.RateLimitRemaining,
        RateLimitLimit = e.RateLimitLimit,
        Resource = e.Resource,
        UserId = e.UserId,
    };
}
