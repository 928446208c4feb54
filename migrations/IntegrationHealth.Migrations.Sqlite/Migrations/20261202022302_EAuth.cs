using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EAuth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "connect_states",
                columns: table => new
                {
                    nonce = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_connect_states", x => x.nonce);
                    table.ForeignKey(
                        name: "fk_connect_states_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "connection_credentials",
                columns: table => new
                {
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    connection_id = table.Column<int>(type: "INTEGER", nullable: false),
                    @protected = table.Column<string>(name: "protected", type: "TEXT", nullable: false),
                    issued_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    refresh_lease_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    refresh_lease_owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    last_refresh_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    failed_refreshes = table.Column<int>(type: "INTEGER", nullable: false),
                    cool_down_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_connection_credentials", x => new { x.tenant_id, x.connection_id });
                    table.ForeignKey(
                        name: "fk_connection_credentials_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "credential_exports",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    api_key_id = table.Column<int>(type: "INTEGER", nullable: false),
                    exported_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    connections = table.Column<int>(type: "INTEGER", nullable: false),
                    filter = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credential_exports", x => x.id);
                    table.ForeignKey(
                        name: "fk_credential_exports_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "oauth_apps",
                columns: table => new
                {
                    tenant_id = table.Column<int>(type: "INTEGER", nullable: false),
                    provider_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    protected_client_secret = table.Column<string>(type: "TEXT", nullable: true),
                    scopes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_oauth_apps", x => new { x.tenant_id, x.provider_key });
                    table.ForeignKey(
                        name: "fk_oauth_apps_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_connect_states_expires_at",
                table: "connect_states",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_connection_credentials_expires_at",
                table: "connection_credentials",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ux_connection_credentials_connection_id",
                table: "connection_credentials",
                column: "connection_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_credential_exports_tenant_id_exported_at",
                table: "credential_exports",
                columns: new[] { "tenant_id", "exported_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "connect_states");

            migrationBuilder.DropTable(
                name: "connection_credentials");

            migrationBuilder.DropTable(
                name: "credential_exports");

            migrationBuilder.DropTable(
                name: "oauth_apps");
        }
    }
}
