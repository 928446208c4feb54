using IntegrationHealth.StatusPage.Model;

namespace IntegrationHealth.StatusPage.Admin;

// Request shapes, for the OpenAPI document: the endpoints read their bodies strictly by hand (JsonObjectBody).

/// <summary>The tenant's page: <c>slug</c> (lowercase letters, digits, hyphens; unique), <c>name</c>, optional
/// <c>url</c> and <c>timeZone</c>.</summary>
public sealed record PageRequest(string Slug, string Name, string? Url = null, string? TimeZone = null);

public sealed record GroupRequest(string Name, string? Description = null, int? Position = null);

/// <summary>A component; <c>provider</c> is a provider key whose telemetry drives it, <c>resource</c> narrows it to one
/// resource; <c>overrideStatus</c> (staff) wins over telemetry until set to null.</summary>
public sealed record ComponentRequest(string Name, string? Description = null, int? GroupId = null, int? Position = null, bool? OnlyShowIfDegraded = null,
    string? Provider = null, string? Resource = null, string? OverrideStatus = null);

public sealed record ComponentStatusChange(int Id, string Status);

/// <summary>A new incident: its first update's status and body, the impact, and the affected components' statuses.</summary>
public sealed record IncidentRequest(string Name, string Status, string Impact, string Body, IReadOnlyList<ComponentStatusChange>? Components = null,
    DateTimeOffset? ExpectedResolutionAt = null);

/// <summary>A timeline update; posting to an automatic incident hands it to staff (the job no longer resolves it).</summary>
public sealed record IncidentUpdateRequest(string Status, string Body, string? Impact = null, IReadOnlyList<ComponentStatusChange>? Components = null,
    DateTimeOffset? ExpectedResolutionAt = null);

/// <summary>A scheduled maintenance over <c>componentIds</c>, one-off or repeating every <c>recurrenceDays</c>.</summary>
public sealed record MaintenanceRequest(string Name, DateTimeOffset ScheduledFor, DateTimeOffset ScheduledUntil, string Body,
    IReadOnlyList<int>? ComponentIds = null, int? RecurrenceDays = null);

public sealed record MaintenanceUpdateRequest(string Status, string Body);

// Views.

public sealed record PageView(int Id, string Slug, string Name, string? Url, string TimeZone, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record GroupView(int Id, string Name, string? Description, int Position, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ComponentView(int Id, string Name, string? Description, int? GroupId, int Position, bool OnlyShowIfDegraded,
    string? Provider, string? Resource, string Status, string DerivedStatus, string? OverrideStatus, DateTime UpdatedAt);

public sealed record IncidentUpdateView(int Id, string Status, string Body, IReadOnlyList<AffectedComponent> AffectedComponents,
    DateTime? ExpectedResolutionAt, DateTime CreatedAt);

public sealed record IncidentView(int Id, string Name, string Status, string Impact, bool IsMaintenance, bool Automatic, bool StaffManaged,
    DateTime? ScheduledFor, DateTime? ScheduledUntil, int? RecurrenceDays, IReadOnlyList<int> ComponentIds, DateTime CreatedAt,
    DateTime UpdatedAt, DateTime? ResolvedAt, IReadOnlyList<IncidentUpdateView> Updates);

public sealed record SubscriberView(int Id, string Kind, string? Email, string? WebhookUrl, IReadOnlyList<int>? ComponentIds,
    bool Confirmed, bool Disabled, DateTime CreatedAt);
