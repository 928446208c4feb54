using IntegrationHealth.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IntegrationHealth.Migrations.Postgres;

/// <summary>Creates the PostgreSQL-configured context for design-time tools (migration scaffolding). No server is
/// contacted while scaffolding.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<IntegrationHealthDbContext>
{
    public IntegrationHealthDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<IntegrationHealthDbContext>();
        StoreServiceCollectionExtensions.ConfigurePostgres(builder, "Host=127.0.0.1;Database=integrationhealth_design;Username=postgres");
        return new IntegrationHealthDbContext(builder.Options);
    }
}
