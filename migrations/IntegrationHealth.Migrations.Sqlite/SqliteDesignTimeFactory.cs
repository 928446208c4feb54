using IntegrationHealth.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IntegrationHealth.Migrations.Sqlite;

/// <summary>Creates the SQLite-configured context for design-time tools (migration scaffolding). No database is opened.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<IntegrationHealthDbContext>
{
    public IntegrationHealthDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<IntegrationHealthDbContext>();
        StoreServiceCollectionExtensions.ConfigureSqlite(builder, "Data Source=:memory:");
        return new IntegrationHealthDbContext(builder.Options);
    }
}
