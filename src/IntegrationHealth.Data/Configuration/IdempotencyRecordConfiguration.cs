using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

/// <summary>Idempotency keys: unique per (tenant, connection, key), which is what makes two concurrent first requests
/// safe (one insert wins); expired rows are found by <c>expires_at</c> for the purge job.</summary>
internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public const int MaxKey = 255;

    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys", t => t.HasCheckConstraint("ck_idempotency_keys_key", $"length(key) BETWEEN 1 AND {MaxKey}"));
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Key).HasMaxLength(MaxKey);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.Headers).HasMaxLength(StoreLengths.Long);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Connection>().WithMany().HasForeignKey(r => r.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.TenantId, r.ConnectionId, r.Key }).IsUnique();
        builder.HasIndex(r => r.ExpiresAt);
    }
}
