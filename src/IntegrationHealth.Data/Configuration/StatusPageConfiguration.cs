using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

internal sealed class StatusPageConfiguration : IEntityTypeConfiguration<StatusPage>
{
    public void Configure(EntityTypeBuilder<StatusPage> builder)
    {
        builder.ToTable("status_pages");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Slug).HasMaxLength(StoreLengths.Code);
        builder.Property(p => p.Name).HasMaxLength(StoreLengths.Name);
        builder.Property(p => p.Url).HasMaxLength(StoreLengths.Long);
        builder.Property(p => p.TimeZone).HasMaxLength(StoreLengths.Code);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.TenantId).IsUnique();
        builder.HasIndex(p => p.Slug).IsUnique();
    }
}

internal sealed class StatusComponentGroupConfiguration : IEntityTypeConfiguration<StatusComponentGroup>
{
    public void Configure(EntityTypeBuilder<StatusComponentGroup> builder)
    {
        builder.ToTable("status_component_groups");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Name).HasMaxLength(StoreLengths.Name);
        builder.Property(g => g.Description).HasMaxLength(StoreLengths.Long);
        builder.HasOne<StatusPage>().WithMany().HasForeignKey(g => g.PageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(g => new { g.TenantId, g.PageId });
    }
}

internal sealed class StatusComponentConfiguration : IEntityTypeConfiguration<StatusComponent>
{
    public void Configure(EntityTypeBuilder<StatusComponent> builder)
    {
        builder.ToTable("status_components");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Name).HasMaxLength(StoreLengths.Name);
        builder.Property(c => c.Description).HasMaxLength(StoreLengths.Long);
        builder.Property(c => c.Resource).HasMaxLength(StoreLengths.TelemetryText);
        builder.Property(c => c.Status).HasConversion<short>();
        builder.Property(c => c.DerivedStatus).HasConversion<short>();
        builder.Property(c => c.CandidateStatus).HasConversion<short>();
        builder.Property(c => c.OverrideStatus).HasConversion<short>();
        builder.HasOne<StatusPage>().WithMany().HasForeignKey(c => c.PageId).OnDelete(DeleteBehavior.Cascade);
        // A group's components stay when the group goes: they become ungrouped.
        builder.HasOne<StatusComponentGroup>().WithMany().HasForeignKey(c => c.GroupId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Provider>().WithMany().HasForeignKey(c => c.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.TenantId, c.PageId });
        builder.HasIndex(c => c.GroupId);
    }
}

internal sealed class StatusComponentChangeConfiguration : IEntityTypeConfiguration<StatusComponentChange>
{
    public void Configure(EntityTypeBuilder<StatusComponentChange> builder)
    {
        builder.ToTable("status_component_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Status).HasConversion<short>();
        builder.HasOne<StatusComponent>().WithMany().HasForeignKey(c => c.ComponentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.ComponentId, c.At });
    }
}

internal sealed class StatusIncidentConfiguration : IEntityTypeConfiguration<StatusIncident>
{
    public void Configure(EntityTypeBuilder<StatusIncident> builder)
    {
        builder.ToTable("status_incidents");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Name).HasMaxLength(StoreLengths.Name);
        builder.Property(i => i.Status).HasConversion<short>();
        builder.Property(i => i.Impact).HasConversion<short>();
        builder.HasOne<StatusPage>().WithMany().HasForeignKey(i => i.PageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => new { i.TenantId, i.PageId, i.CreatedAt });
    }
}

internal sealed class StatusIncidentComponentConfiguration : IEntityTypeConfiguration<StatusIncidentComponent>
{
    public void Configure(EntityTypeBuilder<StatusIncidentComponent> builder)
    {
        builder.ToTable("status_incident_components");
        builder.HasKey(c => new { c.IncidentId, c.ComponentId });
        builder.HasOne<StatusIncident>().WithMany().HasForeignKey(c => c.IncidentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StatusComponent>().WithMany().HasForeignKey(c => c.ComponentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.ComponentId);
    }
}

internal sealed class StatusIncidentUpdateConfiguration : IEntityTypeConfiguration<StatusIncidentUpdate>
{
    public void Configure(EntityTypeBuilder<StatusIncidentUpdate> builder)
    {
        builder.ToTable("status_incident_updates");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Status).HasConversion<short>();
        builder.Property(u => u.Body).HasMaxLength(StoreLengths.Text);
        builder.Property(u => u.AffectedComponents).HasMaxLength(StoreLengths.Text * 4);
        builder.HasOne<StatusIncident>().WithMany().HasForeignKey(u => u.IncidentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(u => u.IncidentId);
        // The notification planner's scan: updates not fanned out yet.
        builder.HasIndex(u => u.NotifiedAt);
    }
}

internal sealed class StatusSubscriberConfiguration : IEntityTypeConfiguration<StatusSubscriber>
{
    public void Configure(EntityTypeBuilder<StatusSubscriber> builder)
    {
        builder.ToTable("status_subscribers");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Kind).HasConversion<short>();
        builder.Property(s => s.Email).HasMaxLength(StoreLengths.Name);
        builder.Property(s => s.WebhookUrl).HasMaxLength(StoreLengths.Long);
        builder.Property(s => s.ProtectedUnsubscribeToken).HasMaxLength(StoreLengths.Long);
        builder.Property(s => s.ComponentIds).HasMaxLength(StoreLengths.Long);
        builder.Property(s => s.ConfirmationTokenHash).HasMaxLength(64);
        builder.Property(s => s.UnsubscribeTokenHash).HasMaxLength(64);
        builder.HasOne<StatusPage>().WithMany().HasForeignKey(s => s.PageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.TenantId, s.PageId });
        builder.HasIndex(s => s.ConfirmationTokenHash);
        builder.HasIndex(s => s.UnsubscribeTokenHash).IsUnique();
        // One subscription per address and page (addresses are stored lower-cased); webhook rows have no address.
        builder.HasIndex(s => new { s.PageId, s.Email }).IsUnique();
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(s => s.WebhookEndpointId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class StatusNotificationConfiguration : IEntityTypeConfiguration<StatusNotification>
{
    public void Configure(EntityTypeBuilder<StatusNotification> builder)
    {
        builder.ToTable("status_notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.MessageId).HasMaxLength(StoreLengths.Code);
        builder.Property(n => n.EventType).HasMaxLength(StoreLengths.Code);
        builder.HasOne<StatusSubscriber>().WithMany().HasForeignKey(n => n.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(n => new { n.SubscriberId, n.MessageId }).IsUnique();
        builder.HasIndex(n => n.NextAttemptAt);
    }
}
