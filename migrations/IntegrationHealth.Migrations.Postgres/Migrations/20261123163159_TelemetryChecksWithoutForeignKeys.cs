using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TelemetryChecksWithoutForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_telemetry_events_accounts_account_id",
                table: "telemetry_events");

            migrationBuilder.DropForeignKey(
                name: "fk_telemetry_events_providers_provider_id",
                table: "telemetry_events");

            migrationBuilder.DropForeignKey(
                name: "fk_telemetry_events_tenants_tenant_id",
                table: "telemetry_events");

            migrationBuilder.AddCheckConstraint(
                name: "ck_telemetry_events_resource",
                table: "telemetry_events",
                sql: "resource IS NULL OR length(resource) <= 200");

            migrationBuilder.AddCheckConstraint(
                name: "ck_telemetry_events_user_id",
                table: "telemetry_events",
                sql: "user_id IS NULL OR length(user_id) <= 200");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_telemetry_events_resource",
                table: "telemetry_events");

            migrationBuilder.DropCheckConstraint(
                name: "ck_telemetry_events_user_id",
                table: "telemetry_events");

            migrationBuilder.AddForeignKey(
                name: "fk_telemetry_events_accounts_account_id",
                table: "telemetry_events",
                column: "account_id",
                principalTable: "accounts",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_telemetry_events_providers_provider_id",
                table: "telemetry_events",
                column: "provider_id",
                principalTable: "providers",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_telemetry_events_tenants_tenant_id",
                table: "telemetry_events",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
