using IntegrationHealth.Data;
using IntegrationHealth.Ingestion.Providers;
using IntegrationHealth.Web.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Ingestion;

/// <summary>Services the read and upsert endpoints share, bound with <c>[AsParameters]</c>.</summary>
public sealed class IngestionServices(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    ProviderCatalog providers,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    StoreRetry storeRetry,
    ILogger<IngestionServices> logger)
{
    public IDbContextFactory<IntegrationHealthDbContext> DbFactory { get; } = dbFactory;
    /// <summary>Retries a write's transient PostgreSQL failures briefly and records its outcome for readiness.</summary>
    public StoreRetry StoreRetry { get; } = storeRetry;
    public ProviderCatalog Providers { get; } = providers;
    public IOptions<IngestionOptions> Options { get; } = options;
    public TimeProvider Time { get; } = time;
    public ILogger<IngestionServices> Logger { get; } = logger;

    /// <summary>The configured limits.</summary>
    public IngestionOptions Limits => Options.Value;

    /// <summary>Latest instant a client-supplied timestamp may carry.</summary>
    public DateTime LatestAcceptedUtc => Time.GetUtcNow().UtcDateTime + Limits.MaxFutureSkew;
}
