using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cached_records",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    connection_id = table.Column<int>(type: "INTEGER", nullable: false),
                    model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    remote_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    generation = table.Column<int>(type: "INTEGER", nullable: false),
                    deleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    modified_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cached_records", x => x.id);
                    table.ForeignKey(
                        name: "fk_cached_records_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_cached_records_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "engine_config_versions",
                columns: table => new
                {
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_engine_config_versions", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_engine_config_versions_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "engine_definitions",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_engine_definitions", x => x.id);
                    table.ForeignKey(
                        name: "fk_engine_definitions_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "engine_overrides",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    provider_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    account_id = table.Column<int>(type: "INTEGER", nullable: true),
                    scope = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: true),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_engine_overrides", x => x.id);
                    table.ForeignKey(
                        name: "fk_engine_overrides_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_engine_overrides_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sync_runs",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    connection_id = table.Column<int>(type: "INTEGER", nullable: false),
                    resource = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    trigger = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    status = table.Column<short>(type: "INTEGER", nullable: false),
                    full = table.Column<bool>(type: "INTEGER", nullable: false),
                    resumed = table.Column<bool>(type: "INTEGER", nullable: false),
                    pages = table.Column<int>(type: "INTEGER", nullable: false),
                    records = table.Column<int>(type: "INTEGER", nullable: false),
                    added = table.Column<int>(type: "INTEGER", nullable: false),
                    updated = table.Column<int>(type: "INTEGER", nullable: false),
                    deleted = table.Column<int>(type: "INTEGER", nullable: false),
                    mapping_failures = table.Column<int>(type: "INTEGER", nullable: false),
                    lag_seconds = table.Column<int>(type: "INTEGER", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    queued_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_sync_runs_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_sync_runs_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sync_states",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    connection_id = table.Column<int>(type: "INTEGER", nullable: false),
                    resource = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    checkpoint = table.Column<string>(type: "TEXT", nullable: true),
                    generation = table.Column<int>(type: "INTEGER", nullable: false),
                    pass_started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    pass_modified_since = table.Column<DateTime>(type: "TEXT", nullable: true),
                    pass_full = table.Column<bool>(type: "INTEGER", nullable: false),
                    pass_pages = table.Column<int>(type: "INTEGER", nullable: false),
                    modified_since = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_completed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    next_run_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    lease_until = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_states", x => x.id);
                    table.ForeignKey(
                        name: "fk_sync_states_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_sync_states_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "engine_override_versions",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    override_id = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: true),
                    change = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    restored_version = table.Column<int>(type: "INTEGER", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_engine_override_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_engine_override_versions_engine_overrides_override_id",
                        column: x => x.override_id,
                        principalTable: "engine_overrides",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cached_records_connection_id_model_id",
                table: "cached_records",
                columns: new[] { "connection_id", "model", "id" });

            migrationBuilder.CreateIndex(
                name: "ux_cached_records_connection_id_model_remote_id",
                table: "cached_records",
                columns: new[] { "connection_id", "model", "remote_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_engine_definitions_tenant_id_key",
                table: "engine_definitions",
                columns: new[] { "tenant_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_engine_override_versions_override_id_version",
                table: "engine_override_versions",
                columns: new[] { "override_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_engine_overrides_account_id",
                table: "engine_overrides",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ux_engine_overrides_tenant_id_provider_key_scope",
                table: "engine_overrides",
                columns: new[] { "tenant_id", "provider_key", "scope" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sync_runs_connection_id_id",
                table: "sync_runs",
                columns: new[] { "connection_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sync_states_next_run_at",
                table: "sync_states",
                column: "next_run_at");

            migrationBuilder.CreateIndex(
                name: "ux_sync_states_connection_id_resource",
                table: "sync_states",
                columns: new[] { "connection_id", "resource" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cached_records");

            migrationBuilder.DropTable(
                name: "engine_config_versions");

            migrationBuilder.DropTable(
                name: "engine_definitions");

            migrationBuilder.DropTable(
                name: "engine_override_versions");

            migrationBuilder.DropTable(
                name: "sync_runs");

            migrationBuilder.DropTable(
                name: "sync_states");

            migrationBuilder.DropTable(
                name: "engine_overrides");
        }
    }
}
