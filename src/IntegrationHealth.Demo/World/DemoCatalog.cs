using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Demo.World;

/// <summary>How the demo models one catalogue provider's traffic.</summary>
/// <param name="Key">Catalogue key (matches the store's provider seed).</param>
/// <param name="Name">Display name, used when the catalogue row is missing and has to be created.</param>
/// <param name="Category">crm, hris, support, ...</param>
/// <param name="AuthKind">How connections to it authenticate.</param>
/// <param name="Popularity">Chance that an account of average size connects it.</param>
/// <param name="EnterpriseBias">Extra popularity among enterprise accounts (ERP / HRIS suites).</param>
/// <param name="MedianLatencyMs">Median request latency.</param>
/// <param name="RateLimit">The provider's rate-limit window size as reported in its headers.</param>
/// <param name="Webhooks">Whether it pushes webhooks.</param>
/// <param name="Resources">API resources requests and syncs touch.</param>
/// <param name="Features">Product features the account's users use through this integration.</param>
/// <param name="ApiVersion">Version string stored on connections.</param>
public sealed record DemoProvider(
    string Key,
    string Name,
    string Category,
    AuthKind AuthKind,
    double Popularity,
    double EnterpriseBias,
    double MedianLatencyMs,
    int RateLimit,
    bool Webhooks,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Features,
    string ApiVersion);

/// <summary>Static vocabulary of the demo world: providers, names, plans, CSMs, ticket and survey texts.</summary>
public static class DemoCatalog
{
    /// <summary>The eight catalogue providers, in a fixed order (the order is part of the world's determinism).</summary>
    public static IReadOnlyList<DemoProvider> Providers { get; } =
    [
        new("salesforce", "Salesforce", "crm", AuthKind.OAuth2, 0.62, 0.2, 180, 100_000, true,
            ["contacts", "accounts", "opportunities", "leads", "tasks"], ["crm_sync", "lead_routing", "opportunity_insights"], "v61.0"),
        new("hubspot", "HubSpot", "marketing", AuthKind.OAuth2, 0.50, -0.1, 150, 100, true,
            ["contacts", "companies", "deals", "engagements"], ["contact_sync", "email_campaigns", "deal_pipeline"], "v3"),
        new("bamboohr", "BambooHR", "hris", AuthKind.ApiKey, 0.25, -0.05, 260, 1_000, false,
            ["employees", "time_off", "departments"], ["employee_directory", "onboarding"], "v1"),
        new("zendesk", "Zendesk", "support", AuthKind.OAuth2, 0.42, 0.05, 210, 700, true,
            ["tickets", "users", "organizations", "comments"], ["ticket_sync", "customer_context"], "v2"),
        new("slack", "Slack", "messaging", AuthKind.OAuth2, 0.55, 0.1, 90, 50, true,
            ["chat.postMessage", "conversations.list", "users.list"], ["alerts_to_slack", "digest"], "v2"),
        new("netsuite", "NetSuite", "erp", AuthKind.OAuth2, 0.12, 0.45, 620, 1_000, false,
            ["customers", "invoices", "sales_orders", "items"], ["invoice_sync", "revenue_reporting"], "2024.2"),
        new("workday", "Workday", "hris", AuthKind.Basic, 0.06, 0.5, 780, 1_000, false,
            ["workers", "organizations", "positions"], ["worker_sync", "org_chart"], "v42.1"),
        new("quickbooks", "QuickBooks Online", "accounting", AuthKind.OAuth2, 0.30, -0.15, 300, 500, true,
            ["invoices", "customers", "payments", "bills"], ["invoice_sync", "payment_reconciliation"], "v3"),
    ];

    /// <summary>Index of a provider in <see cref="Providers"/>.</summary>
    public static int IndexOf(string key)
    {
        for (var i = 0; i < Providers.Count; i++)
        {
            if (Providers[i].Key == key)
            {
                return i;
            }
        }
        throw new ArgumentException($"'{key}' is not a demo catalogue provider.", nameof(key));
    }

    /// <summary>Customer Success Managers; SMB accounts are often pooled (no named CSM).</summary>
    public static IReadOnlyList<string> Csms { get; } =
    [
        "ana.silva@demo.example", "ben.okafor@demo.example", "chloe.martin@demo.example", "dev.patel@demo.example",
        "elena.rossi@demo.example", "farid.haddad@demo.example", "grace.kim@demo.example", "hugo.larsen@demo.example",
    ];

    internal static readonly string[] NameFirst =
    [
        "Blue", "Bright", "North", "Iron", "Silver", "Cedar", "Harbor", "Summit", "Maple", "Quantum", "Lumen", "Vertex",
        "Granite", "Coral", "Aurora", "Atlas", "Nimbus", "Pioneer", "Redwood", "Sierra", "Tidal", "Urban", "Velvet", "Willow",
    ];

    internal static readonly string[] NameSecond =
    [
        "Labs", "Works", "Logistics", "Health", "Analytics", "Foods", "Energy", "Robotics", "Media", "Capital", "Retail",
        "Systems", "Studio", "Freight", "Clinics", "Software", "Apparel", "Learning", "Realty", "Biotech",
    ];

    internal static readonly string[] NameSuffix = ["Inc.", "LLC", "GmbH", "Ltd", "Co.", "SA", "BV", "AB"];

    internal static readonly string[] TicketRoutine =
    [
        "How do I map a custom field?", "Question about sync frequency", "Request: add a new object to the sync",
        "Billing question", "How to invite a teammate", "Export of sync history",
    ];

    internal static readonly string[] SurveyPraise =
    [
        "Integrations just work.", "Saves our team hours every week.", "Great support from our CSM.", "Setup was quick.",
    ];

    internal static readonly string[] SurveyComplaint =
    [
        "Our integration keeps disconnecting.", "Data stopped syncing and nobody noticed for days.",
        "Had to reconnect again.", "Sync errors are hurting our reporting.", "Too many failed syncs lately.",
    ];
}
