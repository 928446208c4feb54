using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// Tenants may register providers of their own: <c>providers.tenant_id</c> (null for the platform catalogue, whose
    /// rows stay as they are), keys unique per tenant and, separately, among platform rows.
    /// </summary>
    public partial class TenantProviders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_providers_key",
                table: "providers");

            migrationBuilder.AddColumn<int>(
                name: "tenant_id",
                table: "providers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.UpdateData(
                table: "providers",
                keyColumn: "id",
                keyValue: 1,
                column: "tenant_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "providers",
                keyColumn: "id",
                keyValue: 2,
                column: "tenant_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "providers",
                keyColumn: "id",
                keyValue: 3,
                column: "tenant_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "providers",
                keyColumn: "id",
                keyValue: 4,
                column: "tenant_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "providers",
                keyColumn: "id",
                keyValue: 5,
                column: "tenant_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "providers",
                keyColumn: "id",
                keyValue: 6,
                column: "tenant_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "providers",
                keyColumn: "id",
                keyValue: 7,
                column: "tenant_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "providers",
                keyColumn: "id",
                keyValue: 8,
                column: "tenant_id",
                value: null);

            migrationBuilder.CreateIndex(
                name: "ux_providers_key",
                table: "providers",
                column: "key",
                unique: true,
                filter: "tenant_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ux_providers_tenant_id_key",
                table: "providers",
                columns: new[] { "tenant_id", "key" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_providers_tenants_tenant_id",
                table: "providers",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_providers_tenants_tenant_id",
                table: "providers");

            migrationBuilder.DropIndex(
                name: "ux_providers_key",
                table: "providers");

            migrationBuilder.DropIndex(
                name: "ux_providers_tenant_id_key",
                table: "providers");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                table: "providers");

            migrationBuilder.CreateIndex(
                name: "ux_providers_key",
                table: "providers",
                column: "key",
                unique: true);
        }
    }
}
