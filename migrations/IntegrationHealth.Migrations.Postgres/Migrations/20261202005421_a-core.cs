using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IntegrationHealth.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ACore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ingest_seq",
                table: "telemetry_events",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.CreateTable(
                name: "account_scores",
                columns: table => new
                {
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    account_id = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    scorer = table.Column<short>(type: "smallint", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    band = table.Column<short>(type: "smallint", nullable: false),
                    probability = table.Column<double>(type: "double precision", nullable: true),
                    explanation = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    factors = table.Column<string>(type: "text", nullable: false),
                    computed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_scores", x => new { x.tenant_id, x.account_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "active_user_days",
                columns: table => new
                {
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    account_id = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_active_user_days", x => new { x.tenant_id, x.account_id, x.day, x.user_id });
                });

            migrationBuilder.CreateTable(
                name: "connection_issues",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    account_id = table.Column<int>(type: "integer", nullable: false),
                    provider_id = table.Column<int>(type: "integer", nullable: false),
                    connection_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<short>(type: "smallint", nullable: false),
                    resource = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    first_seen_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    reopened = table.Column<int>(type: "integer", nullable: false),
                    occurrences = table.Column<int>(type: "integer", nullable: false),
                    muted_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    muted_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_connection_issues", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "connection_rollups",
                columns: table => new
                {
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    grain = table.Column<short>(type: "smallint", nullable: false),
                    bucket_start = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    account_id = table.Column<int>(type: "integer", nullable: false),
                    provider_id = table.Column<int>(type: "integer", nullable: false),
                    connection_id = table.Column<int>(type: "integer", nullable: false),
                    resource = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    requests = table.Column<int>(type: "integer", nullable: false),
                    errors = table.Column<int>(type: "integer", nullable: false),
                    timeouts = table.Column<int>(type: "integer", nullable: false),
                    client_errors = table.Column<int>(type: "integer", nullable: false),
                    server_errors = table.Column<int>(type: "integer", nullable: false),
                    rate_limited = table.Column<int>(type: "integer", nullable: false),
                    network_errors = table.Column<int>(type: "integer", nullable: false),
                    auth_errors = table.Column<int>(type: "integer", nullable: false),
                    other_errors = table.Column<int>(type: "integer", nullable: false),
                    credential_failures = table.Column<int>(type: "integer", nullable: false),
                    forbidden = table.Column<int>(type: "integer", nullable: false),
                    latency_count = table.Column<int>(type: "integer", nullable: false),
                    latency_sum_ms = table.Column<long>(type: "bigint", nullable: false),
                    latency_histogram = table.Column<byte[]>(type: "bytea", nullable: true),
                    refresh_successes = table.Column<int>(type: "integer", nullable: false),
                    refresh_failures = table.Column<int>(type: "integer", nullable: false),
                    sync_runs = table.Column<int>(type: "integer", nullable: false),
                    sync_failures = table.Column<int>(type: "integer", nullable: false),
                    sync_records = table.Column<long>(type: "bigint", nullable: false),
                    empty_syncs = table.Column<int>(type: "integer", nullable: false),
                    last_sync_with_records_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    webhook_successes = table.Column<int>(type: "integer", nullable: false),
                    webhook_failures = table.Column<int>(type: "integer", nullable: false),
                    mapping_failures = table.Column<int>(type: "integer", nullable: false),
                    usage_events = table.Column<int>(type: "integer", nullable: false),
                    min_rate_limit_headroom = table.Column<double>(type: "double precision", nullable: true),
                    last_success_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_failure_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_connection_rollups", x => new { x.tenant_id, x.grain, x.bucket_start, x.account_id, x.provider_id, x.connection_id, x.resource });
                });

            migrationBuilder.CreateTable(
                name: "provider_rollups",
                columns: table => new
                {
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    bucket_start = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    provider_id = table.Column<int>(type: "integer", nullable: false),
                    resource = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    accounts = table.Column<int>(type: "integer", nullable: false),
                    requests = table.Column<int>(type: "integer", nullable: false),
                    errors = table.Column<int>(type: "integer", nullable: false),
                    timeouts = table.Column<int>(type: "integer", nullable: false),
                    client_errors = table.Column<int>(type: "integer", nullable: false),
                    server_errors = table.Column<int>(type: "integer", nullable: false),
                    rate_limited = table.Column<int>(type: "integer", nullable: false),
                    network_errors = table.Column<int>(type: "integer", nullable: false),
                    auth_errors = table.Column<int>(type: "integer", nullable: false),
                    other_errors = table.Column<int>(type: "integer", nullable: false),
                    credential_failures = table.Column<int>(type: "integer", nullable: false),
                    forbidden = table.Column<int>(type: "integer", nullable: false),
                    latency_count = table.Column<int>(type: "integer", nullable: false),
                    latency_sum_ms = table.Column<long>(type: "bigint", nullable: false),
                    latency_histogram = table.Column<byte[]>(type: "bytea", nullable: true),
                    refresh_successes = table.Column<int>(type: "integer", nullable: false),
                    refresh_failures = table.Column<int>(type: "integer", nullable: false),
                    sync_runs = table.Column<int>(type: "integer", nullable: false),
                    sync_failures = table.Column<int>(type: "integer", nullable: false),
                    sync_records = table.Column<long>(type: "bigint", nullable: false),
                    empty_syncs = table.Column<int>(type: "integer", nullable: false),
                    last_sync_with_records_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    webhook_successes = table.Column<int>(type: "integer", nullable: false),
                    webhook_failures = table.Column<int>(type: "integer", nullable: false),
                    mapping_failures = table.Column<int>(type: "integer", nullable: false),
                    usage_events = table.Column<int>(type: "integer", nullable: false),
                    min_rate_limit_headroom = table.Column<double>(type: "double precision", nullable: true),
                    last_success_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_failure_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_provider_rollups", x => new { x.tenant_id, x.provider_id, x.bucket_start, x.resource });
                });

            migrationBuilder.CreateTable(
                name: "rollup_cursors",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    safe_position = table.Column<long>(type: "bigint", nullable: false),
                    candidate_position = table.Column<long>(type: "bigint", nullable: false),
                    candidate_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rollup_cursors", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_telemetry_events_ingest_seq",
                table: "telemetry_events",
                column: "ingest_seq");

            migrationBuilder.CreateIndex(
                name: "ix_account_scores_tenant_id_day_score",
                table: "account_scores",
                columns: new[] { "tenant_id", "day", "score" });

            migrationBuilder.CreateIndex(
                name: "ix_connection_issues_tenant_id_status",
                table: "connection_issues",
                columns: new[] { "tenant_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ux_connection_issues_tenant_id_account_id_provider_id_connection_id_kind_resource",
                table: "connection_issues",
                columns: new[] { "tenant_id", "account_id", "provider_id", "connection_id", "kind", "resource" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_connection_rollups_tenant_id_account_id_grain_bucket_start",
                table: "connection_rollups",
                columns: new[] { "tenant_id", "account_id", "grain", "bucket_start" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_scores");

            migrationBuilder.DropTable(
                name: "active_user_days");

            migrationBuilder.DropTable(
                name: "connection_issues");

            migrationBuilder.DropTable(
                name: "connection_rollups");

            migrationBuilder.DropTable(
                name: "provider_rollups");

            migrationBuilder.DropTable(
                name: "rollup_cursors");

            migrationBuilder.DropIndex(
                name: "ix_telemetry_events_ingest_seq",
                table: "telemetry_events");

            migrationBuilder.DropColumn(
                name: "ingest_seq",
                table: "telemetry_events");
        }
    }
}
