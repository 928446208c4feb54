using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

/// <summary>Endpoint route templates, interned: one row per (tenant, provider, template), referenced by id from events.</summary>
internal sealed class EndpointTemplateConfiguration : IEntityTypeConfiguration<EndpointTemplate>
{
    public void Configure(EntityTypeBuilder<EndpointTemplate> builder)
    {
        builder.ToTable("endpoint_templates", t => t.HasCheckConstraint("ck_endpoint_templates_template",
            $"length(template) BETWEEN 1 AND {StoreLengths.EndpointTemplate}"));
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Template).HasMaxLength(StoreLengths.EndpointTemplate);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Provider>().WithMany().HasForeignKey(e => e.ProviderId).OnDelete(DeleteBehavior.Cascade);
        // The interning lookup, and the conflict target that makes concurrent interning of one template safe.
        builder.HasIndex(e => new { e.TenantId, e.ProviderId, e.Template }).IsUnique();
    }
}

/// <summary>
/// The rare detail of telemetry events, keyed like the event (tenant, id). Like the telemetry table it has no foreign
/// keys (the writers insert a detail row only together with its accepted event, in the same transaction), and its id is
/// stored as the telemetry id is (a 16-byte RFC 9562 BLOB on SQLite).
/// </summary>
internal sealed class TelemetryEventDetailConfiguration(StoreProvider provider) : IEntityTypeConfiguration<TelemetryEventDetail>
{
    /// <summary>Table name, also used by the bulk writers' hand-written SQL.</summary>
    public const string Table = "telemetry_event_details";

    public void Configure(EntityTypeBuilder<TelemetryEventDetail> builder)
    {
        builder.ToTable(Table, t =>
        {
            // SQLite ignores declared lengths; these make both engines reject the same over-long values.
            t.HasCheckConstraint("ck_telemetry_event_details_error_message", $"error_message IS NULL OR length(error_message) <= {StoreLengths.ErrorMessage}");
            t.HasCheckConstraint("ck_telemetry_event_details_field", $"field IS NULL OR length(field) <= {StoreLengths.TelemetryText}");
            t.HasCheckConstraint("ck_telemetry_event_details_record_id", $"record_id IS NULL OR length(record_id) <= {StoreLengths.TelemetryText}");
        });
        builder.HasKey(d => new { d.TenantId, d.EventId });
        builder.Property(d => d.EventId).ValueGeneratedNever();
        builder.Property(d => d.ErrorMessage).HasMaxLength(StoreLengths.ErrorMessage);
        builder.Property(d => d.Field).HasMaxLength(StoreLengths.TelemetryText);
        builder.Property(d => d.RecordId).HasMaxLength(StoreLengths.TelemetryText);
        if (provider == StoreProvider.Sqlite)
        {
            builder.Property(d => d.EventId).HasConversion(SqliteGuidBytesConverter.Instance).HasColumnType("BLOB");
        }
    }
}
