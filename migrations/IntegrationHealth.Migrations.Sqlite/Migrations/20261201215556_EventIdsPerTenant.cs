using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// Event ids become unique per tenant: the telemetry key changes from <c>id</c> to <c>(tenant_id, id)</c>, keeping
    /// every stored row (ids were unique globally, so they are unique per tenant too).
    /// </summary>
    /// <remarks><see cref="Down"/> fails while two tenants hold the same id, rather than drop one of the events.</remarks>
    public partial class EventIdsPerTenant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_telemetry_events",
                table: "telemetry_events");

            migrationBuilder.AddPrimaryKey(
                name: "pk_telemetry_events",
                table: "telemetry_events",
                columns: new[] { "tenant_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_telemetry_events",
                table: "telemetry_events");

            migrationBuilder.AddPrimaryKey(
                name: "pk_telemetry_events",
                table: "telemetry_events",
                column: "id");
        }
    }
}
