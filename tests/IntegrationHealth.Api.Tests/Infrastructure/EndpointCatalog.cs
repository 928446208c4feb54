using System.Text.Json.Nodes;

namespace IntegrationHealth.Api.Tests.Infrastructure;

/// <summary>One call per API endpoint, with the scope it needs; the auth and isolation suites iterate these.</summary>
public sealed record EndpointCall(string Name, HttpMethod Method, string Path, string? Scope, Func<HttpContent?> Body)
{
    public HttpRequestMessage Request()
    {
        var request = new HttpRequestMessage(Method, Path);
        if (Body() is { } content) request.Content = content;
        return request;
    }

    public override string ToString() => Name;
}

public static class EndpointCatalog
{
    private static HttpContent Json(JsonNode node) => TestHttp.Json(node);

    /// <summary>Every key-protected endpoint, called on the ids the seeded fixtures create.</summary>
    public static readonly EndpointCall[] Protected =
    [
        new("PostEvents", HttpMethod.Post, "/v1/events", "ingest", () => Json(TestEvents.Array(TestEvents.Valid()))),
        new("UpsertAccounts", HttpMethod.Post, "/v1/accounts", "ingest", () => Json(new JsonArray(new JsonObject { ["externalId"] = "acct-1", ["name"] = "Account acct-1" }))),
        new("UpsertConnections", HttpMethod.Post, "/v1/connections", "ingest", () => Json(new JsonArray(new JsonObject { ["externalId"] = "conn-1", ["account"] = "acct-1", ["provider"] = "salesforce" }))),
        new("UpsertSupportTickets", HttpMethod.Post, "/v1/support-tickets", "ingest", () => Json(new JsonArray(new JsonObject { ["externalId"] = "t-1", ["account"] = "acct-1", ["subject"] = "Sync broken", ["openedAt"] = "2025-06-01T10:00:00Z" }))),
        new("UpsertProviders", HttpMethod.Post, "/v1/providers", "ingest", () => Json(new JsonArray(new JsonObject { ["key"] = "acme-erp", ["name"] = "Acme ERP", ["category"] = "erp" }))),
        new("UpsertSurveyResponses", HttpMethod.Post, "/v1/survey-responses", "ingest", () => Json(new JsonArray(new JsonObject { ["externalId"] = "s-1", ["account"] = "acct-1", ["score"] = 9, ["respondedAt"] = "2025-06-01T10:00:00Z" }))),
        new("ListAccounts", HttpMethod.Get, "/v1/accounts", "read", () => null),
        new("GetAccount", HttpMethod.Get, "/v1/accounts/acct-1", "read", () => null),
        new("ListAccountEvents", HttpMethod.Get, "/v1/accounts/acct-1/events", "read", () => null),
        new("ListConnections", HttpMethod.Get, "/v1/connections?account=acct-1", "read", () => null),
        new("ListProviders", HttpMethod.Get, "/v1/providers", "read", () => null),
        new("ListEngineProviders", HttpMethod.Get, "/v1/engine/providers", "read", () => null),
        new("ValidateEngineProvider", HttpMethod.Post, "/v1/engine/providers/validate", "admin", () => TestHttp.Json(Engine.EngineDefinitions.Minimal)),
        new("GetEngineProvider", HttpMethod.Get, "/v1/engine/providers/hubspot", "read", () => null),
        new("PutEngineProvider", HttpMethod.Put, "/v1/engine/providers/testcrm", "admin", () => TestHttp.Json(Engine.EngineDefinitions.Minimal)),
        new("GetEngineOverride", HttpMethod.Get, "/v1/engine/overrides/hubspot", "admin", () => null),
        new("PutEngineOverride", HttpMethod.Put, "/v1/engine/overrides/hubspot", "admin", () => TestHttp.Json(Engine.EngineDefinitions.QueryOverride)),
        new("DeleteEngineOverride", HttpMethod.Delete, "/v1/engine/overrides/hubspot", "admin", () => null),
        new("ListEngineOverrideHistory", HttpMethod.Get, "/v1/engine/overrides/hubspot/history", "admin", () => null),
        new("RollbackEngineOverride", HttpMethod.Post, "/v1/engine/overrides/hubspot/rollback", "admin", () => TestHttp.Json("{\"version\":1}")),
        new("GetAccountEngineOverride", HttpMethod.Get, "/v1/engine/overrides/hubspot/accounts/acct-1", "admin", () => null),
        new("PutAccountEngineOverride", HttpMethod.Put, "/v1/engine/overrides/hubspot/accounts/acct-1", "admin", () => TestHttp.Json(Engine.EngineDefinitions.QueryOverride)),
        new("DeleteAccountEngineOverride", HttpMethod.Delete, "/v1/engine/overrides/hubspot/accounts/acct-1", "admin", () => null),
        new("ListAccountEngineOverrideHistory", HttpMethod.Get, "/v1/engine/overrides/hubspot/accounts/acct-1/history", "admin", () => null),
        new("RollbackAccountEngineOverride", HttpMethod.Post, "/v1/engine/overrides/hubspot/accounts/acct-1/rollback", "admin", () => TestHttp.Json("{\"version\":1}")),
        new("GetEffectiveDefinition", HttpMethod.Get, "/v1/engine/connections/conn-1/effective-definition", "read", () => null),
        new("TriggerSync", HttpMethod.Post, "/v1/engine/connections/conn-1/syncs/contacts", "ingest", () => null),
        new("ListSyncRuns", HttpMethod.Get, "/v1/engine/connections/conn-1/syncs", "read", () => null),
        new("ListRecords", HttpMethod.Get, "/v1/records/crm.contact?connection=conn-1", "read", () => null),
        new("Connect", HttpMethod.Get, "/v1/connect/hubspot?account=acct-1&connection=conn-new&redirect_uri=https%3A%2F%2Fproduct.example%2Fback", "ingest", () => null),
        new("PutOAuthApp", HttpMethod.Put, "/v1/engine/oauth-apps/pipedrive", "admin", () => Json(new JsonObject { ["clientId"] = "app-1", ["clientSecret"] = "app-secret" })),
        new("ListOAuthApps", HttpMethod.Get, "/v1/engine/oauth-apps", "admin", () => null),
        new("ImportConnections", HttpMethod.Post, "/v1/connections/import", "admin", () => Json(new JsonArray(new JsonObject
        {
            ["externalId"] = "conn-imported", ["account"] = "acct-1", ["provider"] = "bamboohr", ["values"] = new JsonObject { ["subdomain"] = "acme" },
            ["credentials"] = new JsonObject { ["api_key"] = "bamboo-key" },
        }))),
        new("ExportConnections", HttpMethod.Post, "/v1/connections/export", "admin", () => Json(new JsonObject())),
        new("ProxyRead", HttpMethod.Get, "/v1/proxy/conn-1/contacts?x=1", "read", () => null),
        new("ProxyWrite", HttpMethod.Post, "/v1/proxy/conn-1/contacts", "admin", () => Json(new JsonObject { ["a"] = 1 })),
        new("ListUnifiedRecords", HttpMethod.Get, "/v1/unified/crm/contacts?connection=conn-1", "read", () => null),
        new("GetUnifiedRecord", HttpMethod.Get, "/v1/unified/crm/contacts/1?connection=conn-1", "read", () => null),
        new("CreateUnifiedRecord", HttpMethod.Post, "/v1/unified/crm/contacts?connection=conn-1", "admin", () => Json(new JsonObject { ["email"] = "a@example.com" })),
        new("UpdateUnifiedRecord", HttpMethod.Patch, "/v1/unified/crm/contacts/1?connection=conn-1", "admin", () => Json(new JsonObject { ["phone"] = "1" })),
        new("DeleteUnifiedRecord", HttpMethod.Delete, "/v1/unified/crm/contacts/1?connection=conn-1", "admin", () => null),
        new("ListSupportTickets", HttpMethod.Get, "/v1/support-tickets?account=acct-1", "read", () => null),
        new("ListSurveyResponses", HttpMethod.Get, "/v1/survey-responses?account=acct-1", "read", () => null),
        new("CreateApiKey", HttpMethod.Post, "/v1/keys", "admin", () => Json(new JsonObject { ["scopes"] = new JsonArray("read"), ["name"] = "made by test" })),
        new("ListApiKeys", HttpMethod.Get, "/v1/keys", "admin", () => null),
        new("RevokeApiKey", HttpMethod.Delete, "/v1/keys/999999", "admin", () => null),
        new("PutStatusPage", HttpMethod.Put, "/v1/status-page", "admin", () => Json(new JsonObject { ["slug"] = "catalogue-page", ["name"] = "Catalogue page" })),
        new("GetStatusPage", HttpMethod.Get, "/v1/status-page", "admin", () => null),
        new("CreateStatusGroup", HttpMethod.Post, "/v1/status-page/groups", "admin", () => Json(new JsonObject { ["name"] = "CRM" })),
        new("ListStatusGroups", HttpMethod.Get, "/v1/status-page/groups", "admin", () => null),
        new("PatchStatusGroup", HttpMethod.Patch, "/v1/status-page/groups/999999", "admin", () => Json(new JsonObject { ["name"] = "CRM" })),
        new("DeleteStatusGroup", HttpMethod.Delete, "/v1/status-page/groups/999999", "admin", () => null),
        new("CreateStatusComponent", HttpMethod.Post, "/v1/status-page/components", "admin", () => Json(new JsonObject { ["name"] = "CRM sync", ["provider"] = "salesforce" })),
        new("ListStatusComponents", HttpMethod.Get, "/v1/status-page/components", "admin", () => null),
        new("PatchStatusComponent", HttpMethod.Patch, "/v1/status-page/components/999999", "admin", () => Json(new JsonObject { ["overrideStatus"] = "major_outage" })),
        new("DeleteStatusComponent", HttpMethod.Delete, "/v1/status-page/components/999999", "admin", () => null),
        new("CreateStatusIncident", HttpMethod.Post, "/v1/status-page/incidents", "admin", () => Json(new JsonObject { ["name"] = "Sync delays", ["status"] = "investigating", ["impact"] = "minor", ["body"] = "Looking into it." })),
        new("ListStatusIncidents", HttpMethod.Get, "/v1/status-page/incidents", "admin", () => null),
        new("GetStatusIncident", HttpMethod.Get, "/v1/status-page/incidents/999999", "admin", () => null),
        new("PostStatusIncidentUpdate", HttpMethod.Post, "/v1/status-page/incidents/999999/updates", "admin", () => Json(new JsonObject { ["status"] = "resolved", ["body"] = "Fixed." })),
        new("CreateStatusMaintenance", HttpMethod.Post, "/v1/status-page/maintenances", "admin", () => Json(new JsonObject { ["name"] = "Upgrade", ["scheduledFor"] = "2030-01-01T10:00:00Z", ["scheduledUntil"] = "2030-01-01T11:00:00Z", ["body"] = "Planned." })),
        new("ListStatusMaintenances", HttpMethod.Get, "/v1/status-page/maintenances", "admin", () => null),
        new("PostStatusMaintenanceUpdate", HttpMethod.Post, "/v1/status-page/maintenances/999999/updates", "admin", () => Json(new JsonObject { ["status"] = "completed", ["body"] = "Done." })),
        new("ListStatusSubscribers", HttpMethod.Get, "/v1/status-page/subscribers", "admin", () => null),
        new("DeleteStatusSubscriber", HttpMethod.Delete, "/v1/status-page/subscribers/999999", "admin", () => null),
        new("ListAccountNotices", HttpMethod.Get, "/v1/accounts/acct-1/notices", "read", () => null),
        new("HangfireDashboard", HttpMethod.Get, "/hangfire", "platform", () => null),
        new("CreateWebhookEndpoint", HttpMethod.Post, "/v1/webhook-endpoints", "admin", () => Json(new JsonObject { ["url"] = "https://hooks.example.com/catalog", ["eventTypes"] = new JsonArray("alert.*") })),
        new("ListWebhookEndpoints", HttpMethod.Get, "/v1/webhook-endpoints", "admin", () => null),
        new("DeleteWebhookEndpoint", HttpMethod.Delete, "/v1/webhook-endpoints/999999", "admin", () => null),
        new("RotateWebhookSecret", HttpMethod.Post, "/v1/webhook-endpoints/999999/rotate-secret", "admin", () => null),
        new("ListWebhookAttempts", HttpMethod.Get, "/v1/webhook-endpoints/999999/attempts", "admin", () => null),
        new("ListAlerts", HttpMethod.Get, "/v1/alerts?state=open", "read", () => null),
        new("GetAlert", HttpMethod.Get, "/v1/alerts/999999", "read", () => null),
        new("AcknowledgeAlert", HttpMethod.Post, "/v1/alerts/999999/acknowledge", "admin", () => null),
        new("CreateSurveyRule", HttpMethod.Post, "/v1/survey-rules", "admin", () => Json(new JsonObject { ["survey"] = "nps-catalog", ["event"] = "sync_recovered", ["displayOption"] = "display_fixed", ["displayLimit"] = 2 })),
        new("ListSurveyRules", HttpMethod.Get, "/v1/survey-rules", "read", () => null),
        new("DeleteSurveyRule", HttpMethod.Delete, "/v1/survey-rules/999999", "admin", () => null),
        new("PollSurveyTriggers", HttpMethod.Get, "/v1/survey-triggers?account=acct-1&user=user-1", "read", () => null),
        new("ReportSurveyDisplay", HttpMethod.Post, "/v1/survey-triggers/999999/display", "ingest", () => null),
        new("ReportSurveyResponse", HttpMethod.Post, "/v1/survey-triggers/999999/response", "ingest", () => Json(new JsonObject { ["score"] = 9, ["comment"] = "works" })),
        new("ListMigrationTiers", HttpMethod.Get, "/v1/migration/tiers", "read", () => null),
        new("GetMigrationInventory", HttpMethod.Get, "/v1/migration/inventory.csv", "read", () => null),
        new("ListScorecards", HttpMethod.Get, "/v1/scorecards?period=monthly&periods=2", "read", () => null),
        new("GetRetentionSummary", HttpMethod.Get, "/v1/retention-summary?days=30", "read", () => null),
        new("ListAtRiskAccounts", HttpMethod.Get, "/v1/at-risk", "read", () => null),
        new("GetAccountHealth", HttpMethod.Get, "/v1/accounts/acct-1/health", "read", () => null),
        new("ListScores", HttpMethod.Get, "/v1/scores", "read", () => null),
        new("ExportScores", HttpMethod.Get, "/v1/scores/export", "read", () => null),
        new("ExportScoresCsv", HttpMethod.Get, "/v1/scores/export.csv", "read", () => null),
        new("ListConnectionIssues", HttpMethod.Get, "/v1/connection-issues", "read", () => null),
        new("GetConnectionIssue", HttpMethod.Get, "/v1/connection-issues/999999", "read", () => null),
        new("MuteConnectionIssue", HttpMethod.Post, "/v1/connection-issues/999999/mute", "admin", () => null),
        new("UnmuteConnectionIssue", HttpMethod.Post, "/v1/connection-issues/999999/unmute", "admin", () => null),
    ];
}
