using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IntegrationHealth.Migrations.Postgres.Migrations
{
    /// <summary>
    /// Fields real engines send, without widening every telemetry row: <c>telemetry_events.endpoint_id</c> (a nullable
    /// int) naming a row of <c>endpoint_templates</c>, where each tenant's route templates are interned per provider;
    /// and <c>telemetry_event_details</c>, a failure's message, field and record id keyed by the event (tenant, id).
    /// </summary>
    public partial class EventEndpointsAndDetails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "endpoint_id",
                table: "telemetry_events",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "endpoint_templates",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    provider_id = table.Column<int>(type: "integer", nullable: false),
                    template = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_endpoint_templates", x => x.id);
                    table.CheckConstraint("ck_endpoint_templates_template", "length(template) BETWEEN 1 AND 300");
                    table.ForeignKey(
                        name: "fk_endpoint_templates_providers_provider_id",
                        column: x => x.provider_id,
                        principalTable: "providers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_endpoint_templates_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "telemetry_event_details",
                columns: table => new
                {
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    error_message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    field = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    record_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_telemetry_event_details", x => new { x.tenant_id, x.event_id });
                    table.CheckConstraint("ck_telemetry_event_details_error_message", "error_message IS NULL OR length(error_message) <= 1000");
                    table.CheckConstraint("ck_telemetry_event_details_field", "field IS NULL OR length(field) <= 200");
                    table.CheckConstraint("ck_telemetry_event_details_record_id", "record_id IS NULL OR length(record_id) <= 200");
                });

            migrationBuilder.CreateIndex(
                name: "ux_endpoint_templates_tenant_id_provider_id_template",
                table: "endpoint_templates",
                columns: new[] { "tenant_id", "provider_id", "template" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "endpoint_templates");

            migrationBuilder.DropTable(
                name: "telemetry_event_details");

            migrationBuilder.DropColumn(
                name: "endpoint_id",
                table: "telemetry_events");
        }
    }
}
