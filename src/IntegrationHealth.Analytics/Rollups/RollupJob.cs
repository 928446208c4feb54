using System.Diagnostics;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Analytics.Rollups;

/// <summary>
/// The incremental rollup job. It reads the events accepted since its persisted position (by
/// <see cref="TelemetryEvent.IngestSeq"/>, the store's acceptance order, because events arrive out of time order and
/// their ids are the senders'), marks the buckets they fall in as dirty, and <b>recomputes</b> each dirty bucket from
/// the bucket's own events: account-hours from the (tenant, account, occurred_at) index, provider-minutes from the
/// (tenant, provider, occurred_at) index, account-days by merging their hours. Recomputing rather than adding is what
/// makes it exact under late events (a 40-hour-late event just dirties its old hour again), under re-runs and
/// re-reads (the same events give the same rows) and under a crash between two writes; its cost is the events of the
/// touched buckets (bounded by an hour of one account), not the history.
/// </summary>
public sealed class RollupJob(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time,
    IOptions<RollupOptions> options, ILogger<RollupJob> logger) : IRecurringJob
{
    /// <summary>The cursor row's name.</summary>
    public const string CursorName = "rollups";

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken) => await RunOnceAsync(cancellationToken);

    /// <summary>One run; returns what it did (tests and the benchmark read it).</summary>
    public async Task<RollupRunResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow().UtcDateTime;
        var oldest = now - o.Lateness;
        RollupCursor cursor;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            cursor = await db.RollupCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == CursorName, cancellationToken)
                ?? new RollupCursor { Name = CursorName, CandidateAt = now, UpdatedAt = now };
        }

        var from = cursor.SafePosition;
        var position = from;
        int read = 0, tooLate = 0, hours = 0, days = 0, minutes = 0;
        while (true)
        {
            List<(long Seq, int Tenant, int Account, int Provider, DateTime At)> chunk;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var after = position;
                chunk = (await db.TelemetryEvents.AsNoTracking().Where(e => e.IngestSeq > after).OrderBy(e => e.IngestSeq)
                        .Take(o.ChunkSize).Select(e => new { e.IngestSeq, e.TenantId, e.AccountId, e.ProviderId, e.OccurredAt })
                        .ToListAsync(cancellationToken))
                    .Select(e => (e.IngestSeq, e.TenantId, e.AccountId, e.ProviderId, e.OccurredAt)).ToList();
            }

            if (chunk.Count == 0) break;
            read += chunk.Count;
            position = chunk[^1].Seq;
            var accountHours = new HashSet<(int Tenant, DateTime Hour, int Account)>();
            var providerMinutes = new HashSet<(int Tenant, DateTime Minute, int Provider)>();
            foreach (var e in chunk)
            {
                if (e.At < oldest)
                {
                    tooLate++;
                    continue;
                }

                accountHours.Add((e.Tenant, RollupFold.Floor(e.At, Hour), e.Account));
                providerMinutes.Add((e.Tenant, RollupFold.Floor(e.At, Minute), e.Provider));
            }

            var accountDays = new HashSet<(int Tenant, DateTime Day, int Account)>();
            foreach (var group in accountHours.GroupBy(h => (h.Tenant, h.Hour)))
            {
                var accounts = group.Select(g => g.Account).Distinct().ToList();
                await RecomputeAccountHoursAsync(group.Key.Tenant, group.Key.Hour, accounts, cancellationToken);
                hours += accounts.Count;
                foreach (var a in accounts) accountDays.Add((group.Key.Tenant, RollupFold.Floor(group.Key.Hour, Day), a));
            }

            foreach (var group in accountDays.GroupBy(d => (d.Tenant, d.Day)))
            {
                var accounts = group.Select(g => g.Account).ToList();
                await RecomputeAccountDaysAsync(group.Key.Tenant, group.Key.Day, accounts, cancellationToken);
                days += accounts.Count;
            }

            foreach (var group in providerMinutes.GroupBy(m => (m.Tenant, Hour: RollupFold.Floor(m.Minute, Hour))))
            {
                var dirty = group.ToList();
                await RecomputeProviderMinutesAsync(group.Key.Tenant, dirty.Select(d => d.Provider).Distinct().ToList(),
                    dirty.Min(d => d.Minute), dirty.Max(d => d.Minute) + Minute, cancellationToken);
                minutes += dirty.Count;
            }
        }

        // The position read up to becomes the candidate; the previous candidate becomes safe once it has settled.
        if (cursor.CandidateAt <= now - o.SettleWindow || cursor.CandidatePosition <= cursor.SafePosition)
        {
            cursor.SafePosition = Math.Max(cursor.SafePosition, Math.Min(cursor.CandidatePosition, position));
            cursor.CandidatePosition = position;
            cursor.CandidateAt = now;
        }

        cursor.UpdatedAt = now;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var exists = await db.RollupCursors.AnyAsync(c => c.Name == CursorName, cancellationToken);
            if (exists) db.RollupCursors.Update(cursor);
            else db.RollupCursors.Add(cursor);
            await db.SaveChangesAsync(cancellationToken);
        }

        if (tooLate > 0) AnalyticsLog.RollupTooLate(logger, tooLate, o.Lateness);
        AnalyticsLog.RollupRun(logger, read, from, position, hours, days, minutes, clock.ElapsedMilliseconds);
        return new RollupRunResult(read, tooLate, hours, days, minutes, from, position);
    }

    private async Task RecomputeAccountHoursAsync(int tenant, DateTime hour, List<int> accounts, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var end = hour + Hour;
        var events = await db.TelemetryEvents.AsNoTracking()
            .Where(e => e.TenantId == tenant && accounts.Contains(e.AccountId) && e.OccurredAt >= hour && e.OccurredAt < end)
            .ToListAsync(cancellationToken);
        var rows = RollupFold.Fold(events, e => (e.AccountId, e.ProviderId, Connection: e.ConnectionId ?? 0, Resource: e.Resource ?? ""),
            k => new ConnectionRollup
            {
                TenantId = tenant, Grain = RollupGrain.Hour, BucketStart = hour, AccountId = k.AccountId, ProviderId = k.ProviderId,
                ConnectionId = k.Connection, Resource = k.Resource,
            });
        var day = RollupFold.Floor(hour, Day);
        var users = events.Where(e => e.UserId is not null).Select(e => (e.AccountId, User: e.UserId!)).ToHashSet();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ConnectionRollups
            .Where(r => r.TenantId == tenant && r.Grain == RollupGrain.Hour && r.BucketStart == hour && accounts.Contains(r.AccountId))
            .ExecuteDeleteAsync(cancellationToken);
        db.ConnectionRollups.AddRange(rows.Values);
        if (users.Count > 0)
        {
            var userAccounts = users.Select(u => u.AccountId).Distinct().ToList();
            var known = (await db.ActiveUserDays.AsNoTracking()
                    .Where(u => u.TenantId == tenant && u.Day == day && userAccounts.Contains(u.AccountId))
                    .Select(u => new { u.AccountId, u.UserId }).ToListAsync(cancellationToken))
                .Select(u => (u.AccountId, u.UserId)).ToHashSet();
            db.ActiveUserDays.AddRange(users.Where(u => !known.Contains(u))
                .Select(u => new ActiveUserDay { TenantId = tenant, AccountId = u.AccountId, Day = day, UserId = u.User }));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task RecomputeAccountDaysAsync(int tenant, DateTime day, List<int> accounts, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var end = day + Day;
        var hourly = await db.ConnectionRollups.AsNoTracking()
            .Where(r => r.TenantId == tenant && r.Grain == RollupGrain.Hour && accounts.Contains(r.AccountId)
                && r.BucketStart >= day && r.BucketStart < end)
            .ToListAsync(cancellationToken);
        var rows = RollupFold.MergeAll(hourly, r => (r.AccountId, r.ProviderId, r.ConnectionId, r.Resource),
            k => new ConnectionRollup
            {
                TenantId = tenant, Grain = RollupGrain.Day, BucketStart = day, AccountId = k.AccountId, ProviderId = k.ProviderId,
                ConnectionId = k.ConnectionId, Resource = k.Resource,
            });
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ConnectionRollups
            .Where(r => r.TenantId == tenant && r.Grain == RollupGrain.Day && r.BucketStart == day && accounts.Contains(r.AccountId))
            .ExecuteDeleteAsync(cancellationToken);
        db.ConnectionRollups.AddRange(rows.Values);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task RecomputeProviderMinutesAsync(int tenant, List<int> providers, DateTime start, DateTime end,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.TelemetryEvents.AsNoTracking()
            .Where(e => e.TenantId == tenant && providers.Contains(e.ProviderId) && e.OccurredAt >= start && e.OccurredAt < end)
            .ToListAsync(cancellationToken);
        var rows = RollupFold.Fold(events, e => (e.ProviderId, Minute: RollupFold.Floor(e.OccurredAt, Minute), Resource: e.Resource ?? ""),
            k => new ProviderRollup { TenantId = tenant, ProviderId = k.ProviderId, BucketStart = k.Minute, Resource = k.Resource });
        foreach (var group in events.GroupBy(e => (e.ProviderId, Minute: RollupFold.Floor(e.OccurredAt, Minute), Resource: e.Resource ?? "")))
            rows[group.Key].Accounts = group.Select(e => e.AccountId).Distinct().Count();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ProviderRollups
            .Where(r => r.TenantId == tenant && providers.Contains(r.ProviderId) && r.BucketStart >= start && r.BucketStart < end)
            .ExecuteDeleteAsync(cancellationToken);
        db.ProviderRollups.AddRange(rows.Values);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>What one rollup run did.</summary>
public readonly record struct RollupRunResult(int EventsRead, int TooLate, int AccountHours, int AccountDays, int ProviderMinutes,
    long FromPosition, long ToPosition);
