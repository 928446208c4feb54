using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo.World;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Demo.Tests;

/// <summary>The seeder on PostgreSQL (binary COPY writer), in a scratch database dropped afterwards.</summary>
public sealed class DemoSeederPostgresTests
{
    [PostgresFact]
    public async Task SeedIfEmptyAsync_Postgres_WritesWorldOnceAndMatchesGeneration()
    {
        await using (var store = await TestDatabase.MigratedPostgresAsync("ih_demo_test"))
        {
            var services = store.Services;
            var options = new DemoWorldOptions { Accounts = 25, Days = 4, EndUtc = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc) };
            var world = DemoWorld.Generate(options);

            Assert.True(await DemoSeeder.SeedIfEmptyAsync(services, options));
            Assert.False(await DemoSeeder.SeedIfEmptyAsync(services, options));

            await using var db = await services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>().CreateDbContextAsync();
            Assert.Equal(world.Accounts.Count, await db.Accounts.CountAsync());
            Assert.Equal(world.Connections.Count, await db.Connections.CountAsync());
            Assert.Equal(DemoEventStream.All(world).LongCount(), await db.TelemetryEvents.LongCountAsync());
            var firstEvent = DemoEventStream.ForDay(world, 0)[0];
            var stored = await db.TelemetryEvents.SingleAsync(e => e.Id == firstEvent.Id);
            Assert.Equal(firstEvent.OccurredAt, stored.OccurredAt);
            Assert.Equal(firstEvent.Kind, stored.Kind);
            Assert.Equal(world.Accounts.Count(a => a.ChurnedAt is not null), await db.Accounts.CountAsync(a => a.ChurnedAt != null));
            Assert.Equal(world.Connections.Count(c => c.FinalStatus == ConnectionStatus.NeedsReauth),
                await db.Connections.CountAsync(c => c.Status == ConnectionStatus.NeedsReauth));
        }
    }
}
