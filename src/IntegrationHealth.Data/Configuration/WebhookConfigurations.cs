using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Url).HasMaxLength(StoreLengths.Long);
        builder.Property(e => e.Description).HasMaxLength(StoreLengths.Name);
        builder.Property(e => e.Format).HasConversion<short>();
        builder.Property(e => e.Audience).HasConversion<short>();
        builder.Property(e => e.EventTypes).HasMaxLength(StoreLengths.Long);
        builder.Property(e => e.ProtectedSecrets).HasMaxLength(StoreLengths.Text);
        builder.Property(e => e.DisabledReason).HasMaxLength(StoreLengths.Name);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => e.TenantId);
    }
}

internal sealed class WebhookMessageConfiguration : IEntityTypeConfiguration<WebhookMessage>
{
    public void Configure(EntityTypeBuilder<WebhookMessage> builder)
    {
        builder.ToTable("webhook_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.MessageId).HasMaxLength(64);
        builder.Property(m => m.EventType).HasMaxLength(StoreLengths.Code);
        builder.Property(m => m.IdempotencyKey).HasMaxLength(StoreLengths.Key);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.TenantId, m.IdempotencyKey }).IsUnique();
        builder.HasIndex(m => m.MessageId).IsUnique();
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.State).HasConversion<short>();
        builder.Property(d => d.LastError).HasMaxLength(StoreLengths.Name);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookMessage>().WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        // The drain's scan: due pending rows.
        builder.HasIndex(d => new { d.State, d.NextAttemptAt });
        builder.HasIndex(d => new { d.MessageId, d.EndpointId }).IsUnique();
        builder.HasIndex(d => d.EndpointId);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Error).HasMaxLength(StoreLengths.Name);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.DeliveryId, a.Attempt });
        builder.HasIndex(a => new { a.TenantId, a.AttemptedAt });
    }
}
