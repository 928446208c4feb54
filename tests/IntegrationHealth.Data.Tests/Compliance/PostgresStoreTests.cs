using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Data.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IntegrationHealth.Data.Tests.Compliance;

/// <summary>The store compliance suite on a fresh database of the PostgreSQL test server
/// (<see cref="TestServers.PostgresVariable"/>), telemetry written by binary COPY (<see cref="PostgresWriteMode.Copy"/>).</summary>
public sealed class PostgresStoreTests(PostgresStoreFixture store, ITestOutputHelper output)
    : StoreComplianceTests(store, output), IClassFixture<PostgresStoreFixture>, IRequiresPostgres
{
    [StoreFact]
    public void Writer_CopyFixture_IsRegisteredInCopyMode()
        => Assert.Equal(PostgresWriteMode.Copy, Assert.IsType<PostgresTelemetryWriter>(Store.Writer).Mode);
}

/// <summary>The store compliance suite on PostgreSQL with the telemetry writer in <see cref="PostgresWriteMode.Unnest"/>
/// mode (the default), so both write paths stay covered.</summary>
public sealed class PostgresUnnestStoreTests(PostgresUnnestStoreFixture store, ITestOutputHelper output)
    : StoreComplianceTests(store, output), IClassFixture<PostgresUnnestStoreFixture>, IRequiresPostgres
{
    [StoreFact]
    public void Writer_UnnestFixture_IsRegisteredInUnnestMode()
        => Assert.Equal(PostgresWriteMode.Unnest, Assert.IsType<PostgresTelemetryWriter>(Store.Writer).Mode);
}
