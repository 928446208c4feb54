using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHealth.Data.Tests.Compliance;

// Support-ticket fields of the support-SLA scorecard (issue 13, item 2).
public abstract partial class StoreComplianceTests
{
    [StoreFact]
    public async Task SaveChanges_TicketSlaFields_RoundTrip()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        var ticket = NewTicket(world, "T-sla");
        ticket.Category = SupportTicketCategory.HowTo;
        ticket.Status = SupportTicketStatus.Pending;
        ticket.FirstResponseAt = TestWorld.Epoch.AddMinutes(17);
        ticket.ResolvedAt = TestWorld.Epoch.AddHours(5);
        await using (var db = Store.CreateContext())
        {
            db.SupportTickets.Add(ticket);
            db.SupportTickets.Add(NewTicket(world, "T-bare"));
            await db.SaveChangesAsync();
        }

        await using var check = Store.CreateContext();
        var stored = await check.SupportTickets.AsNoTracking().SingleAsync(t => t.TenantId == world.Tenant.Id && t.ExternalId == "T-sla");
        Assert.Equal((SupportTicketCategory.HowTo, SupportTicketStatus.Pending), (stored.Category!.Value, stored.Status));
        Assert.Equal(ticket.FirstResponseAt, DateTime.SpecifyKind(stored.FirstResponseAt!.Value, DateTimeKind.Utc));
        Assert.Equal(ticket.ResolvedAt, DateTime.SpecifyKind(stored.ResolvedAt!.Value, DateTimeKind.Utc));
        var bare = await check.SupportTickets.AsNoTracking().SingleAsync(t => t.TenantId == world.Tenant.Id && t.ExternalId == "T-bare");
        Assert.Equal((null, SupportTicketStatus.Open, null, null), (bare.Category, bare.Status, bare.FirstResponseAt, bare.ResolvedAt));
    }

    [StoreFact]
    public async Task Migrate_StoredTickets_GetTheStatusTheirTimesImply()
    {
        await using var database = await Store.CreateEmptyDatabaseAsync();
        await using (var db = database.CreateContext())
        {
            var before = db.Database.GetMigrations().TakeWhile(m => !m.EndsWith("_SupportTicketSlaFields", StringComparison.Ordinal)).Last();
            await db.GetService<IMigrator>().MigrateAsync(before);
            // Rows as the previous schema held them (by hand: the model has columns that schema lacks).
            var at = TestWorld.Epoch;
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO tenants (key, name, created_at) VALUES ('old', 'Old', {at})");
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO accounts (tenant_id, external_id, name, arr, segment, seats, created_at) SELECT id, 'a', 'A', 0, 0, 0, {at} FROM tenants WHERE key = 'old'");
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO support_tickets (tenant_id, account_id, external_id, subject, priority, opened_at, closed_at) SELECT tenant_id, id, 'closed', 's', 'normal', {at}, {at.AddDays(1)} FROM accounts WHERE external_id = 'a'");
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO support_tickets (tenant_id, account_id, external_id, subject, priority, opened_at) SELECT tenant_id, id, 'open', 's', 'normal', {at} FROM accounts WHERE external_id = 'a'");
        }

        await database.MigrateAsync();

        await using var check = database.CreateContext();
        var statuses = await check.SupportTickets.ToDictionaryAsync(t => t.ExternalId, t => t.Status);
        Assert.Equal(SupportTicketStatus.Closed, statuses["closed"]);
        Assert.Equal(SupportTicketStatus.Open, statuses["open"]);
    }
}
