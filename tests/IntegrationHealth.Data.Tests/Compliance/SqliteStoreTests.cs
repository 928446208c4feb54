using IntegrationHealth.Data.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IntegrationHealth.Data.Tests.Compliance;

/// <summary>The store compliance suite on a temporary SQLite file database.</summary>
public sealed class SqliteStoreTests(SqliteStoreFixture store, ITestOutputHelper output)
    : StoreComplianceTests(store, output), IClassFixture<SqliteStoreFixture>;
