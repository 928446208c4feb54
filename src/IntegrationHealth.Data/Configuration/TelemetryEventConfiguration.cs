using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

/// <summary>The write-heavy telemetry table: narrow rows, key on (tenant, event id), two read indexes (see the
/// DbContext remarks for the reasoning).</summary>
/// <remarks>On PostgreSQL the model is not the whole truth: the <c>TelemetryVolumeLayout</c> migration rebuilds the
/// table as declaratively partitioned by day of <c>received_at</c> (EF does not model partitioning), without the
/// <c>(tenant_id, id)</c> primary key (a unique index on a partitioned table must contain the partition key, and a
/// forever-growing random-key index is what slowed ingestion down), and with <c>ingest_seq</c> drawn from a sequence
/// (PostgreSQL 15 has no identity columns on partitioned tables). Exactly-once per (tenant, id) comes from the
/// <c>telemetry_dedup</c> window table instead (<see cref="Telemetry.PostgresTelemetryWriter"/>). The key stays in the
/// model because EF needs one and SQLite keeps it as the real primary key.</remarks>
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
            // SQLite ignores declared lengths; these make both engines reject the same over-long values.
            t.HasCheckConstraint("ck_telemetry_events_resource", $"resource IS NULL OR length(resource) <= {StoreLengths.TelemetryText}");
            t.HasCheckConstraint("ck_telemetry_events_user_id", $"user_id IS NULL OR length(user_id) <= {StoreLengths.TelemetryText}");
        });
        // Event ids are the tenant's own: two tenants may use one id, and neither may learn that the other did.
        builder.HasKey(e => new { e.TenantId, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Resource).HasMaxLength(StoreLengths.TelemetryText);
        builder.Property(e => e.UserId).HasMaxLength(StoreLengths.TelemetryText);
        // Written by the bulk writers into its own table (TelemetryEventDetailConfiguration), never through EF.
        builder.Ignore(e => e.Detail);

        if (provider == StoreProvider.Sqlite)
        {
            // 16 bytes (RFC 9562 order, so time-ordered ids append) instead of a 36-character TEXT; INTEGER ticks
            // instead of a 27-character TEXT timestamp.
            builder.Property(e => e.Id).HasConversion(SqliteGuidBytesConverter.Instance).HasColumnType("BLOB");
            builder.Property(e => e.OccurredAt).HasConversion(SqliteUtcTicksConverter.Instance).HasColumnType("INTEGER");
            // Zero ticks for rows not written by the bulk writer (SQLite cannot add a column with a non-constant
            // default without rebuilding the table); retention then goes by their occurred_at.
            builder.Property(e => e.ReceivedAt).HasConversion(SqliteUtcTicksConverter.Instance).HasColumnType("INTEGER");
            // Retention's chunked deletes find the oldest rows here. Writers stamp the current time, so like ingest_seq
            // the index only grows at its right edge (one page per commit, not one per event). PostgreSQL needs none:
            // retention drops whole partitions there.
            builder.HasIndex(e => e.ReceivedAt);
        }
        else
        {
            builder.Property(e => e.ReceivedAt).HasDefaultValueSql("now()");
        }

        // No foreign keys on this table, deliberately. The ingestion path resolves tenant, account, provider and
        // connection ids from the tenant's own rows before writing, so the keys are valid by construction; enforcing
        // them again costs one lookup per key per row, and on PostgreSQL each is a row trigger: measured on 200k
        // rows, INSERT … SELECT … ON CONFLICT took 3.9 s with three foreign keys and 2.1 s without. Consequence:
        // deleting a tenant or account must delete its telemetry explicitly (history outlives connections anyway).

        // The incremental readers' position (TelemetryEvent.IngestSeq): an ever-growing value, so its index appends at
        // the right edge and stays cheap to maintain; one integer per row.
        if (provider == StoreProvider.Postgres)
        {
            builder.Property(e => e.IngestSeq).UseIdentityByDefaultColumn();
        }
        else
        {
            builder.Property(e => e.IngestSeq).HasDefaultValue(0L).ValueGeneratedNever();
        }

        builder.HasIndex(e => e.IngestSeq);
        builder.HasIndex(e => new { e.TenantId, e.AccountId, e.OccurredAt });
        builder.HasIndex(e => new { e.TenantId, e.ProviderId, e.OccurredAt });
    }
}
