using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IntegrationHealth.Migrations.Postgres.Migrations
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
                    nonce = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    connection_id = table.Column<int>(type: "integer", nullable: false),
                    @protected = table.Column<string>(name: "protected", type: "text", nullable: false),
                    issued_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    refresh_lease_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    refresh_lease_owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    last_refresh_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    failed_refreshes = table.Column<int>(type: "integer", nullable: false),
                    cool_down_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    api_key_id = table.Column<int>(type: "integer", nullable: false),
                    exported_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    connections = table.Column<int>(type: "integer", nullable: false),
                    filter = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
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
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    provider_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    client_id = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    protected_client_secret = table.Column<string>(type: "text", nullable: true),
                    scopes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
