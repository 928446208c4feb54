using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

internal sealed class EngineDefinitionConfiguration : IEntityTypeConfiguration<EngineDefinition>
{
    public void Configure(EntityTypeBuilder<EngineDefinition> builder)
    {
        builder.ToTable("engine_definitions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Key).HasMaxLength(StoreLengths.Key);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.TenantId, d.Key }).IsUnique();
    }
}

internal sealed class EngineOverrideConfiguration : IEntityTypeConfiguration<EngineOverride>
{
    public void Configure(EntityTypeBuilder<EngineOverride> builder)
    {
        builder.ToTable("engine_overrides");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.ProviderKey).HasMaxLength(StoreLengths.Key);
        builder.Property(o => o.Scope).HasMaxLength(StoreLengths.Code);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Account>().WithMany().HasForeignKey(o => o.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(o => new { o.TenantId, o.ProviderKey, o.Scope }).IsUnique();
        builder.HasIndex(o => o.AccountId);
    }
}

internal sealed class EngineOverrideVersionConfiguration : IEntityTypeConfiguration<EngineOverrideVersion>
{
    public void Configure(EntityTypeBuilder<EngineOverrideVersion> builder)
    {
        builder.ToTable("engine_override_versions");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Change).HasMaxLength(20);
        builder.HasOne<EngineOverride>().WithMany().HasForeignKey(v => v.OverrideId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.OverrideId, v.Version }).IsUnique();
    }
}

internal sealed class EngineConfigVersionConfiguration : IEntityTypeConfiguration<EngineConfigVersion>
{
    public void Configure(EntityTypeBuilder<EngineConfigVersion> builder)
    {
        builder.ToTable("engine_config_versions");
        builder.HasKey(v => v.TenantId);
        builder.Property(v => v.TenantId).ValueGeneratedNever();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(v => v.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncStateConfiguration : IEntityTypeConfiguration<SyncState>
{
    public void Configure(EntityTypeBuilder<SyncState> builder)
    {
        builder.ToTable("sync_states");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Resource).HasMaxLength(StoreLengths.Key);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Connection>().WithMany().HasForeignKey(s => s.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.ConnectionId, s.Resource }).IsUnique();
        builder.HasIndex(s => s.NextRunAt);
    }
}

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.ToTable("sync_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Resource).HasMaxLength(StoreLengths.Key);
        builder.Property(r => r.Trigger).HasMaxLength(20);
        builder.Property(r => r.Status).HasConversion<short>();
        builder.Property(r => r.Error).HasMaxLength(StoreLengths.ErrorMessage);
        builder.Ignore(r => r.MappingTime);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Connection>().WithMany().HasForeignKey(r => r.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.ConnectionId, r.Id });
    }
}

internal sealed class CachedRecordConfiguration : IEntityTypeConfiguration<CachedRecord>
{
    public void Configure(EntityTypeBuilder<CachedRecord> builder)
    {
        builder.ToTable("cached_records");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Model).HasMaxLength(StoreLengths.Code);
        builder.Property(r => r.RemoteId).HasMaxLength(StoreLengths.Key);
        builder.Property(r => r.Hash).HasMaxLength(32);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Connection>().WithMany().HasForeignKey(r => r.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        // The cache's key, and the lookup of a page's remote ids; readers filter by (connection, model) in id order.
        builder.HasIndex(r => new { r.ConnectionId, r.Model, r.RemoteId }).IsUnique();
        builder.HasIndex(r => new { r.ConnectionId, r.Model, r.Id });
    }
}
