using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

/// <summary>Time columns of the analytics tables: INTEGER ticks on SQLite (as telemetry's), so range comparisons are
/// integer comparisons; timestamptz on PostgreSQL.</summary>
internal static class AnalyticsTime
{
    public static void Ticks<T>(EntityTypeBuilder<T> builder, StoreProvider provider, params string[] properties) where T : class
    {
        if (provider != StoreProvider.Sqlite) return;
        foreach (var name in properties)
        {
            var property = builder.Metadata.FindProperty(name)!;
            if (property.ClrType == typeof(DateTime))
                builder.Property<DateTime>(name).HasConversion(SqliteUtcTicksConverter.Instance).HasColumnType("INTEGER");
            else
                builder.Property<DateTime?>(name).HasConversion(SqliteUtcTicksConverter.Instance).HasColumnType("INTEGER");
        }
    }
}

internal sealed class ConnectionRollupConfiguration(StoreProvider provider) : IEntityTypeConfiguration<ConnectionRollup>
{
    public void Configure(EntityTypeBuilder<ConnectionRollup> builder)
    {
        builder.ToTable("connection_rollups");
        // Recomputed per (tenant, grain, bucket, account): the key leads with exactly that, so the job's delete is a
        // key range.
        builder.HasKey(r => new { r.TenantId, r.Grain, r.BucketStart, r.AccountId, r.ProviderId, r.ConnectionId, r.Resource });
        builder.Property(r => r.Resource).HasMaxLength(StoreLengths.TelemetryText);
        builder.Property(r => r.Grain).HasConversion<short>();
        // The scorers read an account's history: (tenant, account, grain, bucket).
        builder.HasIndex(r => new { r.TenantId, r.AccountId, r.Grain, r.BucketStart });
        AnalyticsTime.Ticks(builder, provider, nameof(ConnectionRollup.BucketStart), nameof(RollupMeasures.LastSyncWithRecordsAt),
            nameof(RollupMeasures.LastSuccessAt), nameof(RollupMeasures.LastFailureAt));
    }
}

internal sealed class ProviderRollupConfiguration(StoreProvider provider) : IEntityTypeConfiguration<ProviderRollup>
{
    public void Configure(EntityTypeBuilder<ProviderRollup> builder)
    {
        builder.ToTable("provider_rollups");
        builder.HasKey(r => new { r.TenantId, r.ProviderId, r.BucketStart, r.Resource });
        builder.Property(r => r.Resource).HasMaxLength(StoreLengths.TelemetryText);
        AnalyticsTime.Ticks(builder, provider, nameof(ProviderRollup.BucketStart), nameof(RollupMeasures.LastSyncWithRecordsAt),
            nameof(RollupMeasures.LastSuccessAt), nameof(RollupMeasures.LastFailureAt));
    }
}

internal sealed class ActiveUserDayConfiguration(StoreProvider provider) : IEntityTypeConfiguration<ActiveUserDay>
{
    public void Configure(EntityTypeBuilder<ActiveUserDay> builder)
    {
        builder.ToTable("active_user_days");
        builder.HasKey(u => new { u.TenantId, u.AccountId, u.Day, u.UserId });
        builder.Property(u => u.UserId).HasMaxLength(StoreLengths.TelemetryText);
        AnalyticsTime.Ticks(builder, provider, nameof(ActiveUserDay.Day));
    }
}

internal sealed class RollupCursorConfiguration(StoreProvider provider) : IEntityTypeConfiguration<RollupCursor>
{
    public void Configure(EntityTypeBuilder<RollupCursor> builder)
    {
        builder.ToTable("rollup_cursors");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(StoreLengths.Code);
        AnalyticsTime.Ticks(builder, provider, nameof(RollupCursor.CandidateAt), nameof(RollupCursor.UpdatedAt));
    }
}

internal sealed class ConnectionIssueConfiguration(StoreProvider provider) : IEntityTypeConfiguration<ConnectionIssue>
{
    public void Configure(EntityTypeBuilder<ConnectionIssue> builder)
    {
        builder.ToTable("connection_issues");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Kind).HasConversion<short>();
        builder.Property(i => i.Status).HasConversion<short>();
        builder.Property(i => i.Resource).HasMaxLength(StoreLengths.TelemetryText);
        builder.Property(i => i.MutedBy).HasMaxLength(StoreLengths.Name);
        builder.Property(i => i.Summary).HasMaxLength(StoreLengths.Long);
        // One issue per problem per connection: updated, never duplicated.
        builder.HasIndex(i => new { i.TenantId, i.AccountId, i.ProviderId, i.ConnectionId, i.Kind, i.Resource }).IsUnique();
        builder.HasIndex(i => new { i.TenantId, i.Status });
        AnalyticsTime.Ticks(builder, provider, nameof(ConnectionIssue.FirstSeenAt), nameof(ConnectionIssue.LastSeenAt),
            nameof(ConnectionIssue.ResolvedAt), nameof(ConnectionIssue.MutedAt), nameof(ConnectionIssue.UpdatedAt));
    }
}

internal sealed class AccountScoreConfiguration(StoreProvider provider) : IEntityTypeConfiguration<AccountScore>
{
    public void Configure(EntityTypeBuilder<AccountScore> builder)
    {
        builder.ToTable("account_scores");
        builder.HasKey(s => new { s.TenantId, s.AccountId, s.Day });
        builder.Property(s => s.Scorer).HasConversion<short>();
        builder.Property(s => s.Band).HasConversion<short>();
        builder.Property(s => s.Explanation).HasMaxLength(StoreLengths.Text);
        // The at-risk list: one day of a tenant's scores, riskiest first.
        builder.HasIndex(s => new { s.TenantId, s.Day, s.Score });
        AnalyticsTime.Ticks(builder, provider, nameof(AccountScore.Day), nameof(AccountScore.ComputedAt));
    }
}
