using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class StatusSubscriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "protected_secret",
                table: "status_subscribers",
                newName: "protected_unsubscribe_token");

            migrationBuilder.AddColumn<short>(
                name: "audience",
                table: "webhook_endpoints",
                type: "INTEGER",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.AddColumn<DateTime>(
                name: "confirmation_expires_at",
                table: "status_subscribers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "webhook_endpoint_id",
                table: "status_subscribers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "notified_at",
                table: "status_incident_updates",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_status_subscribers_page_id_email",
                table: "status_subscribers",
                columns: new[] { "page_id", "email" },
                unique: true);

            // Updates posted before subscriptions existed are history, not news: never fan them out.
            migrationBuilder.Sql("UPDATE status_incident_updates SET notified_at = created_at;");

            migrationBuilder.CreateIndex(
                name: "ix_status_incident_updates_notified_at",
                table: "status_incident_updates",
                column: "notified_at");

            migrationBuilder.AddForeignKey(
                name: "fk_status_subscribers_webhook_endpoints_webhook_endpoint_id",
                table: "status_subscribers",
                column: "webhook_endpoint_id",
                principalTable: "webhook_endpoints",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // No DropForeignKey here: SQLite cannot drop a constraint on its own; dropping webhook_endpoint_id below
            // rebuilds status_subscribers from the previous model, which has no such key.
            migrationBuilder.DropIndex(
                name: "ux_status_subscribers_page_id_email",
                table: "status_subscribers");

            migrationBuilder.DropIndex(
                name: "ix_status_incident_updates_notified_at",
                table: "status_incident_updates");

            migrationBuilder.DropColumn(
                name: "audience",
                table: "webhook_endpoints");

            migrationBuilder.DropColumn(
                name: "confirmation_expires_at",
                table: "status_subscribers");

            migrationBuilder.DropColumn(
                name: "webhook_endpoint_id",
                table: "status_subscribers");

            migrationBuilder.DropColumn(
                name: "notified_at",
                table: "status_incident_updates");

            migrationBuilder.RenameColumn(
                name: "protected_unsubscribe_token",
                table: "status_subscribers",
                newName: "protected_secret");
        }
    }
}
