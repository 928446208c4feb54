using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ConnectionValues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "values",
                table: "connections",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "values",
                table: "connections");
        }
    }
}
