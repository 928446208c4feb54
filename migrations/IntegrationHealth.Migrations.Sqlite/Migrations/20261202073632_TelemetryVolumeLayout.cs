using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TelemetryVolumeLayout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "received_at",
                table: "telemetry_events",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "ix_telemetry_events_received_at",
                table: "telemetry_events",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Native SQL rather than DropColumn: EF's SQLite table rebuild is not available for this table here (it
            // raised NotSupportedException), and SQLite (3.35+) drops an unindexed column in place.
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_telemetry_events_received_at;");
            migrationBuilder.Sql("ALTER TABLE telemetry_events DROP COLUMN received_at;");
        }
    }
}
