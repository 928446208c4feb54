using IntegrationHealth.Data.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IntegrationHealth.Data.Tests.Compliance;

/// <summary>The store compliance suite on a fresh database of the PostgreSQL test server
/// (<see cref="TestServers.PostgresVariable"/>).</summary>
public sealed class PostgresStoreTests(PostgresStoreFixture store, ITestOutputHelper output)
    : StoreComplianceTests(store, output), IClassFixture<PostgresStoreFixture>, IRequiresPostgres;
