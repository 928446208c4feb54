using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IntegrationHealth.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Status : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "status_pages",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    slug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    time_zone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_pages", x => x.id);
                    table.ForeignKey(
                        name: "fk_status_pages_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_component_groups",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    page_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_component_groups", x => x.id);
                    table.ForeignKey(
                        name: "fk_status_component_groups_status_pages_page_id",
                        column: x => x.page_id,
                        principalTable: "status_pages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_incidents",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    page_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    impact = table.Column<short>(type: "smallint", nullable: false),
                    is_maintenance = table.Column<bool>(type: "boolean", nullable: false),
                    automatic = table.Column<bool>(type: "boolean", nullable: false),
                    staff_managed = table.Column<bool>(type: "boolean", nullable: false),
                    scheduled_for = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    scheduled_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    recurrence_days = table.Column<int>(type: "integer", nullable: true),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    monitoring_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    resolved_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_incidents", x => x.id);
                    table.ForeignKey(
                        name: "fk_status_incidents_status_pages_page_id",
                        column: x => x.page_id,
                        principalTable: "status_pages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_subscribers",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    page_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<short>(type: "smallint", nullable: false),
                    email = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    webhook_url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    protected_secret = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    component_ids = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    confirmation_token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    confirmed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    unsubscribe_token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    disabled_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_subscribers", x => x.id);
                    table.ForeignKey(
                        name: "fk_status_subscribers_status_pages_page_id",
                        column: x => x.page_id,
                        principalTable: "status_pages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_components",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    page_id = table.Column<int>(type: "integer", nullable: false),
                    group_id = table.Column<int>(type: "integer", nullable: true),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false),
                    only_show_if_degraded = table.Column<bool>(type: "boolean", nullable: false),
                    provider_id = table.Column<int>(type: "integer", nullable: true),
                    resource = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    derived_status = table.Column<short>(type: "smallint", nullable: false),
                    candidate_status = table.Column<short>(type: "smallint", nullable: true),
                    candidate_since = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    override_status = table.Column<short>(type: "smallint", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_components", x => x.id);
                    table.ForeignKey(
                        name: "fk_status_components_providers_provider_id",
                        column: x => x.provider_id,
                        principalTable: "providers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_status_components_status_component_groups_group_id",
                        column: x => x.group_id,
                        principalTable: "status_component_groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_status_components_status_pages_page_id",
                        column: x => x.page_id,
                        principalTable: "status_pages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_incident_updates",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    incident_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    body = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    affected_components = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: true),
                    expected_resolution_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    display_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_incident_updates", x => x.id);
                    table.ForeignKey(
                        name: "fk_status_incident_updates_status_incidents_incident_id",
                        column: x => x.incident_id,
                        principalTable: "status_incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_notifications",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    subscriber_id = table.Column<int>(type: "integer", nullable: false),
                    message_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    event_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    lease_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    delivered_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    failed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_notifications", x => x.id);
                    table.ForeignKey(
                        name: "fk_status_notifications_status_subscribers_subscriber_id",
                        column: x => x.subscriber_id,
                        principalTable: "status_subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_component_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<int>(type: "integer", nullable: false),
                    component_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_component_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_status_component_changes_status_components_component_id",
                        column: x => x.component_id,
                        principalTable: "status_components",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "status_incident_components",
                columns: table => new
                {
                    incident_id = table.Column<int>(type: "integer", nullable: false),
                    component_id = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_status_incident_components", x => new { x.incident_id, x.component_id });
                    table.ForeignKey(
                        name: "fk_status_incident_components_status_components_component_id",
                        column: x => x.component_id,
                        principalTable: "status_components",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_status_incident_components_status_incidents_incident_id",
                        column: x => x.incident_id,
                        principalTable: "status_incidents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_status_component_changes_component_id_at",
                table: "status_component_changes",
                columns: new[] { "component_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_status_component_groups_tenant_id_page_id",
                table: "status_component_groups",
                columns: new[] { "tenant_id", "page_id" });

            migrationBuilder.CreateIndex(
                name: "ix_status_components_group_id",
                table: "status_components",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "ix_status_components_tenant_id_page_id",
                table: "status_components",
                columns: new[] { "tenant_id", "page_id" });

            migrationBuilder.CreateIndex(
                name: "ix_status_incident_components_component_id",
                table: "status_incident_components",
                column: "component_id");

            migrationBuilder.CreateIndex(
                name: "ix_status_incident_updates_incident_id",
                table: "status_incident_updates",
                column: "incident_id");

            migrationBuilder.CreateIndex(
                name: "ix_status_incidents_tenant_id_page_id_created_at",
                table: "status_incidents",
                columns: new[] { "tenant_id", "page_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_status_notifications_next_attempt_at",
                table: "status_notifications",
                column: "next_attempt_at");

            migrationBuilder.CreateIndex(
                name: "ux_status_notifications_subscriber_id_message_id",
                table: "status_notifications",
                columns: new[] { "subscriber_id", "message_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_status_pages_slug",
                table: "status_pages",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_status_pages_tenant_id",
                table: "status_pages",
                column: "tenant_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_status_subscribers_confirmation_token_hash",
                table: "status_subscribers",
                column: "confirmation_token_hash");

            migrationBuilder.CreateIndex(
                name: "ix_status_subscribers_tenant_id_page_id",
                table: "status_subscribers",
                columns: new[] { "tenant_id", "page_id" });

            migrationBuilder.CreateIndex(
                name: "ux_status_subscribers_unsubscribe_token_hash",
                table: "status_subscribers",
                column: "unsubscribe_token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "status_component_changes");

            migrationBuilder.DropTable(
                name: "status_incident_components");

            migrationBuilder.DropTable(
                name: "status_incident_updates");

            migrationBuilder.DropTable(
                name: "status_notifications");

            migrationBuilder.DropTable(
                name: "status_components");

            migrationBuilder.DropTable(
                name: "status_incidents");

            migrationBuilder.DropTable(
                name: "status_subscribers");

            migrationBuilder.DropTable(
                name: "status_component_groups");

            migrationBuilder.DropTable(
                name: "status_pages");
        }
    }
}
