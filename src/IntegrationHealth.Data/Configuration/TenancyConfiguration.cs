using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("tenants");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Key).HasMaxLength(StoreLengths.Key);
        builder.Property(t => t.Name).HasMaxLength(StoreLengths.Name);
        builder.HasIndex(t => t.Key).IsUnique();
    }
}

internal sealed class TenantEnvironmentConfiguration : IEntityTypeConfiguration<TenantEnvironment>
{
    public void Configure(EntityTypeBuilder<TenantEnvironment> builder)
    {
        builder.ToTable("tenant_environments");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Key).HasMaxLength(StoreLengths.Key);
        builder.Property(e => e.Name).HasMaxLength(StoreLengths.Name);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.TenantId, e.Key }).IsUnique();
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Prefix).HasMaxLength(StoreLengths.ApiKeyPrefix);
        builder.Property(k => k.Hash).HasMaxLength(64);
        builder.Property(k => k.Name).HasMaxLength(StoreLengths.Name);
        builder.Property(k => k.Scopes).HasConversion<short>();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.HasIndex(k => k.TenantId);
    }
}
