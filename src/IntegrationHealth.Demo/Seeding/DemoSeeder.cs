using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Demo.World;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Demo;

/// <summary>Creates the demo world in the store.</summary>
/// <remarks>The database must already be migrated (<see cref="StoreMigrator"/>). Entities go through the DbContext,
/// telemetry through <see cref="ITelemetryWriter"/> in batches while the next day is generated on another thread, so
/// only a few batches are in memory at once. If seeding fails or is cancelled part-way, the tenant's accounts (and
/// with them, by cascade, everything seeded under them) are removed again, so the next start seeds afresh.</remarks>
public static class DemoSeeder
{
    /// <summary>Seeds the world (tenant, accounts, connections, telemetry, tickets, NPS, churn, ground truth, and the
    /// tenant's status page, <see cref="DemoStatusPage"/>) unless the tenant already has accounts; a store seeded before
    /// the demo had a status page gets its page then. Resolves <c>IDbContextFactory&lt;IntegrationHealthDbContext&gt;</c> and
    /// <c>ITelemetryWriter</c> from <paramref name="services"/>. Returns true when it seeded.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static async Task<bool> SeedIfEmptyAsync(IServiceProvider services, DemoWorldOptions options,
        IProgress<DemoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var factory = services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
        var writer = services.GetRequiredService<ITelemetryWriter>();
        var resolved = options with { EndUtc = options.ResolveEnd() };

        // Checked before generating anything: every restart of an already seeded demo passes through here.
        await using (var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var seeded = await db.Tenants.Where(t => t.Key == options.TenantKey)
                .AnyAsync(t => db.Accounts.Any(a => a.TenantId == t.Id), cancellationToken).ConfigureAwait(false);
            if (seeded)
            {
                await DemoStatusPage.EnsureAsync(services, options, cancellationToken).ConfigureAwait(false);
                return false;
            }
        }

        progress?.Report(new DemoProgress("world", 0, 1));
        var world = DemoWorld.Generate(resolved);
        progress?.Report(new DemoProgress("world", 1, 1));

        int tenantId;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            tenantId = (await EnsureTenantAsync(db, world, cancellationToken).ConfigureAwait(false)).Id;
        }

        try
        {
            var ids = await WriteEntitiesAsync(factory, world, tenantId, progress, cancellationToken).ConfigureAwait(false);
            await WriteTelemetryAsync(writer, world, ids, progress, cancellationToken).ConfigureAwait(false);
            await DemoStatusPage.EnsureAsync(factory, world, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveAccountsAsync(factory, tenantId).ConfigureAwait(false);
            throw;
        }
        return true;
    }

    /// <summary>Writes a world's tenant, accounts, connections, tickets, responses and ground truth, but no telemetry
    /// (benchmarks and tools that send the telemetry their own way). Does not check whether the tenant already has
    /// accounts: external ids must not clash with what is stored.</summary>
    public static async Task<DemoStoreIds> SeedEntitiesAsync(IServiceProvider services, DemoWorld world,
        IProgress<DemoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(world);
        var factory = services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
        int tenantId;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            tenantId = (await EnsureTenantAsync(db, world, cancellationToken).ConfigureAwait(false)).Id;
        }
        return await WriteEntitiesAsync(factory, world, tenantId, progress, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Tenant> EnsureTenantAsync(IntegrationHealthDbContext db, DemoWorld world, CancellationToken ct)
    {
        var key = world.Options.TenantKey;
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Key == key, ct).ConfigureAwait(false);
        if (tenant is null)
        {
            tenant = new Tenant
            {
                Key = key,
                Name = key == "demo" ? "Demo SaaS Inc." : key,
                CreatedAt = world.WindowStart.AddYears(-3),
            };
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        foreach (var (envKey, envName) in new[] { ("production", "Production"), ("staging", "Staging") })
        {
            if (!await db.Environments.AnyAsync(e => e.TenantId == tenant.Id && e.Key == envKey, ct).ConfigureAwait(false))
            {
                db.Environments.Add(new TenantEnvironment { TenantId = tenant.Id, Key = envKey, Name = envName });
            }
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return tenant;
    }

    private static async Task<DemoStoreIds> WriteEntitiesAsync(IDbContextFactory<IntegrationHealthDbContext> factory, DemoWorld world,
        int tenantId, IProgress<DemoProgress>? progress, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct).ConfigureAwait(false);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var providerIds = await EnsureProvidersAsync(db, ct).ConfigureAwait(false);

        progress?.Report(new DemoProgress("accounts", 0, world.Accounts.Count));
        var accounts = world.Accounts.Select(a => new Account
        {
            TenantId = tenantId,
            ExternalId = a.ExternalId,
            Name = a.Name,
            Arr = a.Arr,
            Segment = a.Segment,
            Plan = a.Plan,
            Seats = a.Seats,
            Csm = a.Csm,
            CreatedAt = a.CreatedAt,
            ChurnedAt = a.ChurnedAt,
        }).ToList();
        db.Accounts.AddRange(accounts);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var accountIds = accounts.Select(a => a.Id).ToArray();
        progress?.Report(new DemoProgress("accounts", accounts.Count, world.Accounts.Count));

        progress?.Report(new DemoProgress("connections", 0, world.Connections.Count));
        var connections = world.Connections.Select(c => new Connection
        {
            TenantId = tenantId,
            AccountId = accountIds[c.AccountIndex],
            ProviderId = providerIds[c.ProviderIndex],
            ExternalId = c.ExternalId,
            Status = c.FinalStatus,
            AuthKind = c.AuthKind,
            Scopes = c.Scopes,
            InstanceUrl = c.InstanceUrl,
            ApiVersion = c.ApiVersion,
            LastSyncAt = c.LastSyncAt,
            SyncCursor = c.SyncCursor,
            CreatedAt = c.CreatedAt,
            UpdatedAt = c.Episodes.Select(e => e.End ?? e.Start).Append(c.CreatedAt).Max(),
        }).ToList();
        db.Connections.AddRange(connections);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        progress?.Report(new DemoProgress("connections", connections.Count, world.Connections.Count));

        progress?.Report(new DemoProgress("feedback", 0, world.Tickets.Count + world.Surveys.Count));
        db.SupportTickets.AddRange(world.Tickets.Select(t => new SupportTicket
        {
            TenantId = tenantId,
            AccountId = accountIds[t.AccountIndex],
            ExternalId = t.ExternalId,
            ProviderId = t.ProviderIndex is { } p ? providerIds[p] : null,
            Subject = t.Subject,
            Priority = t.Priority,
            OpenedAt = t.OpenedAt,
            ClosedAt = t.ClosedAt,
            Status = SupportTicket.DefaultStatus(t.ClosedAt, resolvedAt: null),
            Category = t.ProviderIndex is null ? null : SupportTicketCategory.Integration,
        }));
        db.SurveyResponses.AddRange(world.Surveys.Select(s => new SurveyResponse
        {
            TenantId = tenantId,
            AccountId = accountIds[s.AccountIndex],
            ExternalId = s.ExternalId,
            UserId = s.UserId,
            Score = s.Score,
            Comment = s.Comment,
            RespondedAt = s.RespondedAt,
        }));
        db.GroundTruths.AddRange(world.Accounts.Select(a => new AccountGroundTruth
        {
            AccountId = accountIds[a.Index],
            TenantId = tenantId,
            LatentRisk = a.LatentRisk,
            HealthyConnections = a.HealthyConnections,
            Drivers = a.Drivers.Length <= 2000 ? a.Drivers : a.Drivers[..1997] + "...",
        }));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        progress?.Report(new DemoProgress("feedback", world.Tickets.Count + world.Surveys.Count, world.Tickets.Count + world.Surveys.Count));
        return new DemoStoreIds(tenantId, accountIds, providerIds, connections.Select(c => c.Id).ToArray());
    }

    /// <summary>Store ids of the demo catalogue's providers; any the platform catalogue lacks are added to it.</summary>
    private static async Task<int[]> EnsureProvidersAsync(IntegrationHealthDbContext db, CancellationToken ct)
    {
        // Platform rows only: tenants' own providers may reuse a key once per tenant.
        var existing = await db.Providers.Where(p => p.TenantId == null)
            .ToDictionaryAsync(p => p.Key, StringComparer.Ordinal, ct).ConfigureAwait(false);
        var missing = DemoCatalog.Providers.Where(p => !existing.ContainsKey(p.Key))
            .Select(p => new Provider { Key = p.Key, Name = p.Name, Category = p.Category })
            .ToList();
        if (missing.Count > 0)
        {
            db.Providers.AddRange(missing);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            foreach (var p in missing)
            {
                existing[p.Key] = p;
            }
        }
        return DemoCatalog.Providers.Select(p => existing[p.Key].Id).ToArray();
    }

    /// <summary>Progress stage of the telemetry, counted in simulated days: the number of days is known exactly up
    /// front, the number of events only once they are generated, and a total that grows mid-run is no progress bar.</summary>
    public const string TelemetryStage = "telemetry (days)";

    private static async Task WriteTelemetryAsync(ITelemetryWriter writer, DemoWorld world, DemoStoreIds ids,
        IProgress<DemoProgress>? progress, CancellationToken ct)
    {
        progress?.Report(new DemoProgress(TelemetryStage, 0, world.Days));
        var batchSize = world.Options.BatchSize;
        // Generation runs one batch-queue ahead of the writer: the two overlap on two cores, memory stays bounded.
        // Each batch carries how many days were complete when it was cut, which is what the writer reports once stored.
        var channel = Channel.CreateBounded<(List<TelemetryEvent> Events, int DaysComplete)>(
            new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new List<TelemetryEvent>(batchSize);
                for (var day = 0; day < world.Days; day++)
                {
                    foreach (var e in DemoEventStream.ForDay(world, day))
                    {
                        batch.Add(ids.ToTelemetryEvent(e));
                        if (batch.Count == batchSize)
                        {
                            await channel.Writer.WriteAsync((batch, day), cts.Token).ConfigureAwait(false);
                            batch = new List<TelemetryEvent>(batchSize);
                        }
                    }
                }
                await channel.Writer.WriteAsync((batch, world.Days), cts.Token).ConfigureAwait(false);
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, cts.Token);

        var sinceReport = Stopwatch.StartNew();
        try
        {
            await foreach (var (batch, daysComplete) in channel.Reader.ReadAllAsync(cts.Token).ConfigureAwait(false))
            {
                if (batch.Count > 0) await writer.WriteAsync(batch, cts.Token).ConfigureAwait(false);
                if (sinceReport.ElapsedMilliseconds >= 250 || daysComplete == world.Days)
                {
                    progress?.Report(new DemoProgress(TelemetryStage, daysComplete, world.Days));
                    sinceReport.Restart();
                }
            }
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Best-effort undo of a failed or cancelled seeding: removes the tenant's accounts, which cascades to
    /// their connections, telemetry, tickets, responses and ground truth.</summary>
    private static async Task RemoveAccountsAsync(IDbContextFactory<IntegrationHealthDbContext> factory, int tenantId)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
            await db.TelemetryEvents.Where(e => e.TenantId == tenantId).ExecuteDeleteAsync(CancellationToken.None).ConfigureAwait(false);
            await db.GroundTruths.Where(g => g.TenantId == tenantId).ExecuteDeleteAsync(CancellationToken.None).ConfigureAwait(false);
            await db.SupportTickets.Where(t => t.TenantId == tenantId).ExecuteDeleteAsync(CancellationToken.None).ConfigureAwait(false);
            await db.SurveyResponses.Where(s => s.TenantId == tenantId).ExecuteDeleteAsync(CancellationToken.None).ConfigureAwait(false);
            await db.Connections.Where(c => c.TenantId == tenantId).ExecuteDeleteAsync(CancellationToken.None).ConfigureAwait(false);
            await db.Accounts.Where(a => a.TenantId == tenantId).ExecuteDeleteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The original failure is what the caller needs to see; a failed clean-up leaves a partial world behind.
        }
    }
}
