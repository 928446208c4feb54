using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Data;

/// <summary>
/// The wire spelling of every enumerated value (snake_case or upper-case HTTP methods), in one place so the parser,
/// the upserts and the reads agree. Unknown names map to <c>null</c>; callers turn that into a 400 error.
/// </summary>
public static class WireNames
{
    public static readonly string[] Kinds = ["request", "token_refresh", "sync_run", "webhook_delivery", "mapping_failure", "usage"];
    public static readonly string[] ErrorClasses = ["none", "timeout", "4xx", "5xx", "invalid_grant", "rate_limited", "network", "mapping", "other"];
    public static readonly string[] Outcomes = ["success", "failure"];
    /// <summary>Index 0 (<see cref="HttpMethodCode.None"/>) has no wire name.</summary>
    public static readonly string[] Methods = ["", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    public static readonly string[] Segments = ["smb", "mid_market", "enterprise"];
    public static readonly string[] ConnectionStatuses = ["active", "needs_reauth", "disabled"];
    public static readonly string[] AuthKinds = ["oauth2", "api_key", "basic"];
    public static readonly string[] Priorities = ["low", "normal", "high", "urgent"];
    public static readonly string[] TicketCategories = ["integration", "billing", "how_to", "other"];
    public static readonly string[] TicketStatuses = ["open", "pending", "solved", "closed"];
    public static readonly string[] Scopes = ["ingest", "read", "admin", "platform"];

    public static string Of(TelemetryKind kind) => Kinds[(int)kind];
    public static string Of(ErrorClass errorClass) => ErrorClasses[(int)errorClass];
    public static string Of(TelemetryOutcome outcome) => Outcomes[(int)outcome];
    public static string? Of(HttpMethodCode method) => method == HttpMethodCode.None ? null : Methods[(int)method];
    public static string Of(AccountSegment segment) => Segments[(int)segment];
    public static string Of(ConnectionStatus status) => ConnectionStatuses[(int)status];
    public static string Of(AuthKind kind) => AuthKinds[(int)kind];
    public static string Of(SupportTicketCategory category) => TicketCategories[(int)category];
    public static string Of(SupportTicketStatus status) => TicketStatuses[(int)status];

    /// <summary>The wire names of the scopes a key holds, e.g. <c>["ingest", "read"]</c>.</summary>
    public static string[] Of(ApiKeyScopes scopes)
    {
        var names = new List<string>(4);
        if (scopes.HasFlag(ApiKeyScopes.Ingest)) names.Add("ingest");
        if (scopes.HasFlag(ApiKeyScopes.Read)) names.Add("read");
        if (scopes.HasFlag(ApiKeyScopes.Admin)) names.Add("admin");
        if (scopes.HasFlag(ApiKeyScopes.Platform)) names.Add("platform");
        return [.. names];
    }

    public static TelemetryKind? ParseKind(string? value) => IndexOf(Kinds, value) is { } i ? (TelemetryKind)i : null;
    public static AccountSegment? ParseSegment(string? value) => IndexOf(Segments, value) is { } i ? (AccountSegment)i : null;
    public static ConnectionStatus? ParseConnectionStatus(string? value) => IndexOf(ConnectionStatuses, value) is { } i ? (ConnectionStatus)i : null;
    public static AuthKind? ParseAuthKind(string? value) => IndexOf(AuthKinds, value) is { } i ? (AuthKind)i : null;
    public static SupportTicketCategory? ParseTicketCategory(string? value) => IndexOf(TicketCategories, value) is { } i ? (SupportTicketCategory)i : null;
    public static SupportTicketStatus? ParseTicketStatus(string? value) => IndexOf(TicketStatuses, value) is { } i ? (SupportTicketStatus)i : null;

    /// <summary>Parses <c>ingest</c>, <c>read</c>, <c>admin</c> or <c>platform</c> (case-insensitive).</summary>
    public static ApiKeyScopes? ParseScope(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "ingest" => ApiKeyScopes.Ingest,
        "read" => ApiKeyScopes.Read,
        "admin" => ApiKeyScopes.Admin,
        "platform" => ApiKeyScopes.Platform,
        _ => null,
    };

    /// <summary>Parses a comma-separated scope list such as <c>ingest,read</c>; null when any part is unknown or none is given.</summary>
    public static ApiKeyScopes? ParseScopeList(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var scopes = ApiKeyScopes.None;
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseScope(part) is not { } scope) return null;
            scopes |= scope;
        }
        return scopes == ApiKeyScopes.None ? null : scopes;
    }

    public static string Describe(string[] names) => string.Join(" | ", names.Where(n => n.Length > 0));

    private static int? IndexOf(string[] names, string? value)
    {
        if (value is null) return null;
        var i = Array.IndexOf(names, value);
        return i < 0 || names[i].Length == 0 ? null : i;
    }
}
