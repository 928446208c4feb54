using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// What the support-SLA scorecard needs of a ticket: category, status, first-response and resolution times. Stored
    /// tickets get the status their times imply (<c>SupportTicket.DefaultStatus</c>): closed when they have a close time,
    /// open otherwise (no stored ticket has a resolution time yet).
    /// </summary>
    public partial class SupportTicketSlaFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<short>(
                name: "category",
                table: "support_tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "first_response_at",
                table: "support_tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "resolved_at",
                table: "support_tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<short>(
                name: "status",
                table: "support_tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: (short)0);

            // 3 = SupportTicketStatus.Closed.
            migrationBuilder.Sql("UPDATE support_tickets SET status = 3 WHERE closed_at IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "category",
                table: "support_tickets");

            migrationBuilder.DropColumn(
                name: "first_response_at",
                table: "support_tickets");

            migrationBuilder.DropColumn(
                name: "resolved_at",
                table: "support_tickets");

            migrationBuilder.DropColumn(
                name: "status",
                table: "support_tickets");
        }
    }
}
