using IntegrationHealth.Data.Configuration;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHealth.Data.Tests.Store;

/// <summary>Guards the shape of the model (the ingest design depends on it) without a database.</summary>
public sealed class StoreModelTests
{
    public static TheoryData<StoreProvider> Providers => [StoreProvider.Sqlite, StoreProvider.Postgres];

    private static IntegrationHealthDbContext Context(StoreProvider provider)
    {
        var builder = new DbContextOptionsBuilder<IntegrationHealthDbContext>();
        if (provider == StoreProvider.Sqlite)
        {
            StoreServiceCollectionExtensions.ConfigureSqlite(builder, "Data Source=:memory:");
        }
        else
        {
            StoreServiceCollectionExtensions.ConfigurePostgres(builder, "Host=127.0.0.1;Database=none");
        }

        return new IntegrationHealthDbContext(builder.Options);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_TelemetryTable_HasTenantAndIdKeyTwoReadIndexesTheIngestIndexAndNoForeignKeys(StoreProvider provider)
    {
        using var db = Context(provider);
        var telemetry = db.Model.FindEntityType(typeof(TelemetryEvent))!;

        Assert.Equal("telemetry_events", telemetry.GetTableName());
        Assert.Equal(["tenant_id", "id"], telemetry.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()));
        Assert.Empty(telemetry.GetForeignKeys());
        var indexes = telemetry.GetIndexes().Select(i => string.Join(",", i.Properties.Select(p => p.GetColumnName()))).Order().ToList();
        // SQLite also indexes received_at for retention's chunked deletes (PostgreSQL drops partitions instead).
        Assert.Equal(provider == StoreProvider.Sqlite
            ? ["ingest_seq", "received_at", "tenant_id,account_id,occurred_at", "tenant_id,provider_id,occurred_at"]
            : ["ingest_seq", "tenant_id,account_id,occurred_at", "tenant_id,provider_id,occurred_at"], indexes);
    }

    [Fact]
    public void Model_Sqlite_StoresTelemetryIdAsBlobAndTimeAsIntegerTicks()
    {
        using var db = Context(StoreProvider.Sqlite);
        var telemetry = db.Model.FindEntityType(typeof(TelemetryEvent))!;

        Assert.Equal("BLOB", telemetry.FindProperty(nameof(TelemetryEvent.Id))!.GetColumnType());
        Assert.Equal("INTEGER", telemetry.FindProperty(nameof(TelemetryEvent.OccurredAt))!.GetColumnType());
        Assert.IsType<SqliteUtcTicksConverter>(telemetry.FindProperty(nameof(TelemetryEvent.OccurredAt))!.GetValueConverter());
    }

    [Fact]
    public void Model_Postgres_StoresTelemetryIdAsUuidAndTimeAsTimestamptz()
    {
        using var db = Context(StoreProvider.Postgres);
        var telemetry = db.Model.FindEntityType(typeof(TelemetryEvent))!;

        Assert.Equal("uuid", telemetry.FindProperty(nameof(TelemetryEvent.Id))!.GetColumnType());
        Assert.Equal("timestamp with time zone", telemetry.FindProperty(nameof(TelemetryEvent.OccurredAt))!.GetColumnType());
        Assert.Equal("smallint", telemetry.FindProperty(nameof(TelemetryEvent.Kind))!.GetColumnType());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_EveryTableAndColumn_IsSnakeCase(StoreProvider provider)
    {
        using var db = Context(provider);

        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!);
            Assert.Matches("^[a-z][a-z_]*$", entity.GetTableName());
            Assert.All(entity.GetProperties(), p => Assert.Matches("^[a-z][a-z0-9_]*$", p.GetColumnName(table)));
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_UniqueIndexes_CoverTenantScopedExternalIdsAndGlobalKeys(StoreProvider provider)
    {
        using var db = Context(provider);
        string[] Unique<T>() => db.Model.FindEntityType(typeof(T))!.GetIndexes().Where(i => i.IsUnique)
            .Select(i => string.Join(",", i.Properties.Select(p => p.GetColumnName())) + (i.GetFilter() is { } f ? " WHERE " + f : ""))
            .Order().ToArray();

        Assert.Equal(["key"], Unique<Tenant>());
        // Platform keys unique among platform rows, tenants' keys unique per tenant.
        Assert.Equal(["key WHERE tenant_id IS NULL", "tenant_id,key"], Unique<Provider>());
        Assert.Equal(["prefix"], Unique<ApiKey>());
        Assert.Equal(["tenant_id,external_id"], Unique<Account>());
        Assert.Equal(["tenant_id,external_id"], Unique<Connection>());
        Assert.Equal(["tenant_id,external_id"], Unique<SupportTicket>());
        Assert.Equal(["tenant_id,external_id"], Unique<SurveyResponse>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_DataProtectionKeys_IsSnakeCaseTableWithIdKey(StoreProvider provider)
    {
        using var db = Context(provider);
        var keys = db.Model.FindEntityType(typeof(DataProtectionKey))!;

        Assert.Equal("data_protection_keys", keys.GetTableName());
        Assert.Equal(["id"], keys.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()));
        Assert.Equal("pk_data_protection_keys", keys.FindPrimaryKey()!.GetName());
    }

    /// <summary>Without a database, so it runs on every machine: the store compliance suite checks the same against
    /// migrated databases, but its PostgreSQL half needs a server.</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public void Snapshot_OfEachProvider_HasDataProtectionKeysAndNoPendingModelChanges(StoreProvider provider)
    {
        using var db = Context(provider);
        var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot;

        Assert.NotNull(snapshot);
        var keys = Assert.Single(snapshot.Model.GetEntityTypes(), e => e.GetTableName() == "data_protection_keys");
        Assert.Equal(["friendly_name", "id", "xml"], keys.GetProperties().Select(p => p.GetColumnName()).Order());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {provider} model has changes that no migration captures: add one with dotnet ef (see the DbContext remarks).");
    }

    [Theory]
    [InlineData("RateLimitRemaining", "rate_limit_remaining")]
    [InlineData("Id", "id")]
    [InlineData("HttpStatus", "http_status")]
    [InlineData("ExternalId", "external_id")]
    [InlineData("OAuthToken", "o_auth_token")]
    public void ToSnakeCase_PascalCase_SplitsWords(string name, string expected)
    {
        Assert.Equal(expected, SnakeCaseNaming.ToSnakeCase(name));
    }

    [Fact]
    public void SqliteUtcTicksConverter_LocalAndUnspecified_StoresUtcTicksAndReadsUtc()
    {
        var utc = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var converter = SqliteUtcTicksConverter.Instance;

        Assert.Equal(utc.Ticks, converter.ConvertToProvider(utc.ToLocalTime()));
        Assert.Equal(utc.Ticks, converter.ConvertToProvider(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified)));
        var back = (DateTime)converter.ConvertFromProvider(utc.Ticks)!;
        Assert.Equal(utc, back);
        Assert.Equal(DateTimeKind.Utc, back.Kind);
    }

    [Fact]
    public void FilePath_MemoryAndFileDatabases_AreTellApart()
    {
        Assert.Null(SqliteDatabase.FilePath("Data Source=:memory:"));
        Assert.Null(SqliteDatabase.FilePath("Data Source=x;Mode=Memory;Cache=Shared"));
        Assert.Equal("./data/a.db", SqliteDatabase.FilePath("Data Source=./data/a.db"));
    }

    [Fact]
    public void FilePath_MalformedConnectionString_ThrowsClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SqliteDatabase.FilePath("Data Source=a.db;Bogus Keyword=1"));

        Assert.Contains("not a valid SQLite connection string", error.Message);
    }

    [Fact]
    public void IsDuplicateKey_UnrelatedException_IsFalse()
    {
        Assert.False(StoreErrors.IsDuplicateKey(new InvalidOperationException("x", new TimeoutException())));
        Assert.False(StoreErrors.IsForeignKeyViolation(new DbUpdateException("x")));
    }
}
