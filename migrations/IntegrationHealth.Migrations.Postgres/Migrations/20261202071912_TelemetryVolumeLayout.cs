using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Postgres.Migrations
{
    /// <summary>
    /// The telemetry store at volume: <c>telemetry_events</c> becomes declaratively partitioned by day of the new
    /// <c>received_at</c> column, and exactly-once moves to <c>telemetry_dedup</c>, a window of remembered ids partitioned
    /// by receiving day with its primary key inside each day.
    /// </summary>
    /// <remarks>
    /// Raw SQL because EF Core does not model partitioning. The model (and its snapshot) still describe the table EF
    /// reads: the same columns plus <c>received_at</c>, the <c>(tenant_id, id)</c> key and the three indexes. What differs
    /// in the database, on purpose: no primary key on <c>telemetry_events</c> (a unique index on a partitioned table
    /// must contain the partition key, and the whole-history random-key index was what slowed ingestion down; the
    /// window table guarantees exactly-once instead, see PostgresTelemetryWriter), <c>ingest_seq</c> drawn from a
    /// sequence (PostgreSQL 15 allows no identity column on a partitioned table; inserts that omit it get the next
    /// value just the same), and <c>telemetry_dedup</c>, which EF never reads. Day partitions are created by the
    /// writer and the telemetry maintenance job. Existing rows move to one legacy partition that ends today (dropped by
    /// retention once it is old); their ids are remembered for the window from today.
    /// </remarks>
    public partial class TelemetryVolumeLayout : Migration
    {
        private const string Columns =
            "id, occurred_at, tenant_id, account_id, provider_id, connection_id, kind, outcome, error_class, method, " +
            "http_status, latency_ms, records, rate_limit_remaining, rate_limit_limit, resource, user_id, endpoint_id, ingest_seq";

        private const string ColumnDefinitions =
            "id uuid NOT NULL, occurred_at timestamp with time zone NOT NULL, tenant_id integer NOT NULL, account_id integer NOT NULL, " +
            "provider_id integer NOT NULL, connection_id integer, kind smallint NOT NULL, outcome smallint NOT NULL, " +
            "error_class smallint NOT NULL, method smallint NOT NULL, http_status smallint, latency_ms integer, records integer, " +
            "rate_limit_remaining integer, rate_limit_limit integer, resource character varying(200), user_id character varying(200), " +
            "endpoint_id integer, ";

        private const string Checks =
            "CONSTRAINT ck_telemetry_events_http_status CHECK (http_status IS NULL OR http_status BETWEEN 100 AND 599), " +
            "CONSTRAINT ck_telemetry_events_latency_ms CHECK (latency_ms IS NULL OR latency_ms >= 0), " +
            "CONSTRAINT ck_telemetry_events_records CHECK (records IS NULL OR records >= 0), " +
            "CONSTRAINT ck_telemetry_events_resource CHECK (resource IS NULL OR length(resource) <= 200), " +
            "CONSTRAINT ck_telemetry_events_user_id CHECK (user_id IS NULL OR length(user_id) <= 200)";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE telemetry_events RENAME TO telemetry_events_unpartitioned;
                ALTER TABLE telemetry_events_unpartitioned RENAME CONSTRAINT pk_telemetry_events TO pk_telemetry_events_unpartitioned;
                ALTER INDEX ix_telemetry_events_ingest_seq RENAME TO ix_telemetry_events_unpartitioned_ingest_seq;
                ALTER INDEX ix_telemetry_events_tenant_id_account_id_occurred_at RENAME TO ix_telemetry_events_unpartitioned_account;
                ALTER INDEX ix_telemetry_events_tenant_id_provider_id_occurred_at RENAME TO ix_telemetry_events_unpartitioned_provider;
                CREATE SEQUENCE telemetry_events_ingest_seq AS bigint;
                SELECT setval('telemetry_events_ingest_seq', coalesce((SELECT max(ingest_seq) FROM telemetry_events_unpartitioned), 0) + 1, false);
                """);
            migrationBuilder.Sql("CREATE TABLE telemetry_events (" + ColumnDefinitions +
                "ingest_seq bigint NOT NULL DEFAULT nextval('telemetry_events_ingest_seq'), " +
                "received_at timestamp with time zone NOT NULL DEFAULT now(), " + Checks + ") PARTITION BY RANGE (received_at);");
            migrationBuilder.Sql("""
                ALTER SEQUENCE telemetry_events_ingest_seq OWNED BY telemetry_events.ingest_seq;
                CREATE INDEX ix_telemetry_events_ingest_seq ON telemetry_events (ingest_seq);
                CREATE INDEX ix_telemetry_events_tenant_id_account_id_occurred_at ON telemetry_events (tenant_id, account_id, occurred_at);
                CREATE INDEX ix_telemetry_events_tenant_id_provider_id_occurred_at ON telemetry_events (tenant_id, provider_id, occurred_at);
                CREATE TABLE telemetry_dedup (
                    received_on date NOT NULL,
                    tenant_id integer NOT NULL,
                    id uuid NOT NULL,
                    CONSTRAINT pk_telemetry_dedup PRIMARY KEY (tenant_id, id, received_on)
                ) PARTITION BY RANGE (received_on);
                """);
            migrationBuilder.Sql($$"""
                DO $$
                DECLARE
                    upper_day date := (now() AT TIME ZONE 'UTC')::date;
                BEGIN
                    IF EXISTS (SELECT 1 FROM telemetry_events_unpartitioned) THEN
                        EXECUTE format('CREATE TABLE %I PARTITION OF telemetry_events FOR VALUES FROM (MINVALUE) TO (%L)',
                            'telemetry_events_legacy_' || to_char(upper_day, 'YYYYMMDD'), (upper_day::timestamp AT TIME ZONE 'UTC'));
                        EXECUTE format('CREATE TABLE %I PARTITION OF telemetry_dedup FOR VALUES FROM (MINVALUE) TO (%L)',
                            'telemetry_dedup_legacy_' || to_char(upper_day, 'YYYYMMDD'), upper_day);
                        INSERT INTO telemetry_events ({{Columns}}, received_at)
                            SELECT {{Columns}}, least(occurred_at, (upper_day::timestamp AT TIME ZONE 'UTC') - interval '1 microsecond')
                            FROM telemetry_events_unpartitioned;
                        INSERT INTO telemetry_dedup (received_on, tenant_id, id)
                            SELECT upper_day - 1, tenant_id, id FROM telemetry_events_unpartitioned;
                    END IF;
                END $$;
                DROP TABLE telemetry_events_unpartitioned;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one table with the whole-history key; of ids stored twice (replays after the window) the first stays.
            migrationBuilder.Sql("CREATE TABLE telemetry_events_unpartitioned (" + ColumnDefinitions +
                "ingest_seq bigint GENERATED BY DEFAULT AS IDENTITY, CONSTRAINT pk_telemetry_events_unpartitioned PRIMARY KEY (tenant_id, id), " +
                Checks + ");");
            migrationBuilder.Sql($"""
                INSERT INTO telemetry_events_unpartitioned ({Columns})
                    SELECT DISTINCT ON (tenant_id, id) {Columns} FROM telemetry_events ORDER BY tenant_id, id, ingest_seq;
                SELECT setval(pg_get_serial_sequence('telemetry_events_unpartitioned', 'ingest_seq'),
                    coalesce((SELECT max(ingest_seq) FROM telemetry_events_unpartitioned), 0) + 1, false);
                DROP TABLE telemetry_events;
                DROP TABLE telemetry_dedup;
                ALTER TABLE telemetry_events_unpartitioned RENAME TO telemetry_events;
                ALTER TABLE telemetry_events RENAME CONSTRAINT pk_telemetry_events_unpartitioned TO pk_telemetry_events;
                CREATE INDEX ix_telemetry_events_ingest_seq ON telemetry_events (ingest_seq);
                CREATE INDEX ix_telemetry_events_tenant_id_account_id_occurred_at ON telemetry_events (tenant_id, account_id, occurred_at);
                CREATE INDEX ix_telemetry_events_tenant_id_provider_id_occurred_at ON telemetry_events (tenant_id, provider_id, occurred_at);
                """);
        }
    }
}
