using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IntegrationHealth.Data.Configuration;

/// <summary>The write-heavy telemetry table: narrow rows, key on the event id, two read indexes (see the
/// DbContext remarks for the reasoning).</summary>
internal sealed class TelemetryEventConfiguration(StoreProvider provider) : IEntityTypeConfiguration<TelemetryEvent>
{
    /// <summary>Table name, also used by the bulk writers' hand-written SQL.</summary>
    public const string Table = "telemetry_events";

    public void Configure(EntityTypeBuilder<TelemetryEvent> builder)
    {
        builder.ToTable(Table, t =>
        {
            // The same SQL text runs on SQLite and PostgreSQL. These are what a malformed row trips over, and what
            // makes a bad batch fail (atomically) rather than store garbage.
            t.HasCheckConstraint("ck_telemetry_events_http_status", "http_status IS NULL OR http_status BETWEEN 100 AND 599");
            t.HasCheckConstraint("ck_telemetry_events_latency_ms", "latency_ms IS NULL OR latency_ms >= 0");
            t.HasCheckConstraint("ck_telemetry_events_records", "records IS NULL OR records >= 0");
        });
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Resource).HasMaxLength(StoreLengths.TelemetryText);
        builder.Property(e => e.UserId).HasMaxLength(StoreLengths.TelemetryText);

        if (provider == StoreProvider.Sqlite)
        {
            // 16 bytes instead of a 36-character TEXT; INTEGER ticks instead of a 27-character TEXT timestamp.
            builder.Property(e => e.Id).HasConversion(new GuidToBytesConverter()).HasColumnType("BLOB");
            builder.Property(e => e.OccurredAt).HasConversion(SqliteUtcTicksConverter.Instance).HasColumnType("INTEGER");
        }

        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Provider>().WithMany().HasForeignKey(e => e.ProviderId).OnDelete(DeleteBehavior.Restrict);
        // ConnectionId is deliberately not a foreign key: connections come and go (re-auth, re-creation) and the
        // history must survive them; a foreign key would also need an index on this hot table.

        builder.HasIndex(e => new { e.TenantId, e.AccountId, e.OccurredAt });
        builder.HasIndex(e => new { e.TenantId, e.ProviderId, e.OccurredAt });
    }
}
