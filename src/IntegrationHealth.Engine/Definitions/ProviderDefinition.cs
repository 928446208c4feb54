using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>
/// A provider definition as read from its JSON document (snake_case members; see <c>provider.schema.json</c>, which is
/// the reference for every member). Plain data: the loader validates it and compiles its expressions into a
/// <see cref="LoadedProvider"/>, which is what the executor runs.
/// </summary>
public sealed record ProviderDefinition
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    public string? Category { get; init; }
    public string? DocsUrl { get; init; }
    public IReadOnlyDictionary<string, ConnectionValueDefinition> ConnectionValues { get; init; } = new Dictionary<string, ConnectionValueDefinition>();
    public required string BaseUrl { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public required AuthDefinition Auth { get; init; }
    public RateLimitDefinition? RateLimit { get; init; }
    public IReadOnlyList<ResponseRuleDefinition> Responses { get; init; } = [];
    /// <summary>Expression mapping the provider's error body (bound <c>$status</c>, <c>$headers</c>) to
    /// <c>{title, detail, code}</c> for the problem details of unified responses; an operation's own replaces it.</summary>
    public string? ErrorMapping { get; init; }
    public required IReadOnlyDictionary<string, ResourceDefinition> Resources { get; init; }
}

/// <summary>A non-secret value each connection supplies, such as a subdomain or an API version.</summary>
public sealed record ConnectionValueDefinition
{
    public string? Description { get; init; }
    public bool Required { get; init; } = true;
    public string? Default { get; init; }
    /// <summary>A regular expression the whole value must match; it keeps a value from reshaping a templated URL.</summary>
    public string? Pattern { get; init; }
}

/// <summary>A resource (contacts, employees…) and its operations, keyed by verb (list, get, create, update, delete).</summary>
public sealed record ResourceDefinition
{
    public string? Description { get; init; }
    /// <summary>The unified model its records map to, e.g. <c>crm.contact</c>.</summary>
    public string? Model { get; init; }
    public required IReadOnlyDictionary<string, OperationDefinition> Operations { get; init; }
    /// <summary>How the resource is synced into the record cache; absent: with defaults, on demand only.</summary>
    public SyncDefinition? Sync { get; init; }
}

/// <summary>A resource's sync settings: schedule, incremental passes with a look-back, full passes, deletion flag.</summary>
public sealed record SyncDefinition
{
    public int? EveryMinutes { get; init; }
    public bool Incremental { get; init; }
    public int LookbackSeconds { get; init; }
    public int? FullEvery { get; init; }
    public string? DeletedWhen { get; init; }
}

/// <summary>An extra call made before an operation; its (optionally reduced) body is bound as <c>$steps.name</c>.</summary>
public sealed record StepDefinition
{
    public required string Name { get; init; }
    public string Method { get; init; } = "GET";
    public required string Path { get; init; }
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public string? Result { get; init; }
    /// <summary>Post-steps only: an expression over <c>{body, records}</c> of the main response giving an object of
    /// extra call parameters for this step's path, query and header templates (e.g. the ids of a page's records).</summary>
    public string? Parameters { get; init; }
}

/// <summary>A filter of the unified list endpoint an operation accepts, and the type its value is checked against.</summary>
public sealed record FilterDefinition
{
    public string? Description { get; init; }
    /// <summary><c>string</c> (default), <c>date-time</c> (ISO 8601, normalized to UTC), <c>integer</c> or <c>boolean</c>.</summary>
    public string Type { get; init; } = "string";
}

/// <summary>One HTTP operation of a resource.</summary>
public sealed record OperationDefinition
{
    public required string Method { get; init; }
    /// <summary>Path template relative to the base URL; <c>{name}</c> placeholders are call parameters.</summary>
    public required string Path { get; init; }
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary>The JSON request body, when the operation sends one.</summary>
    public JsonElement? Body { get; init; }
    /// <summary>Expression locating the records in a response body; absent means the body itself (one record or an array).</summary>
    public string? Records { get; init; }
    public PaginationDefinition? Pagination { get; init; }
    public IReadOnlyList<ResponseRuleDefinition> Responses { get; init; } = [];
    /// <summary>Expression mapping one provider record to the unified model.</summary>
    public string? ResponseMapping { get; init; }
    /// <summary>Calls made once before the operation, their results bound for the mapping as <c>$steps</c>.</summary>
    public IReadOnlyList<StepDefinition> PreSteps { get; init; } = [];
    /// <summary>Expression mapping a unified record (the caller's create or update body) to the provider's request body;
    /// <c>$connection</c> holds the connection values, <c>$id</c> the record's id on updates.</summary>
    public string? RequestMapping { get; init; }
    /// <summary>The unified filters the list endpoint accepts for this operation (any other is a 400).</summary>
    public IReadOnlyDictionary<string, FilterDefinition> Filters { get; init; } = new Dictionary<string, FilterDefinition>();
    /// <summary>Expression mapping the caller's filters (an object; <c>$parameters</c> the call's parameters,
    /// <c>$connection</c> the connection values, <c>$limit</c> the unified page size) to the provider's request:
    /// <c>{query, headers, body}</c>, each optional; <c>body</c> is merged into the operation's body.</summary>
    public string? QueryMapping { get; init; }
    /// <summary>Calls made after the main call (once per page of a listing), their results bound as <c>$steps</c>
    /// beside the pre-steps'.</summary>
    public IReadOnlyList<StepDefinition> PostSteps { get; init; } = [];
    /// <summary>Replaces the provider's <see cref="ProviderDefinition.ErrorMapping"/> for this operation.</summary>
    public string? ErrorMapping { get; init; }
}

/// <summary>Where a value is read from a response: an expression over the body, or a header.</summary>
public sealed record ValueSource
{
    public string? Body { get; init; }
    public string? Header { get; init; }
}

/// <summary>Where a value goes on a request: a query parameter, a header, or a dotted path in the JSON body.</summary>
public sealed record ValueLocation
{
    public string? Query { get; init; }
    public string? Header { get; init; }
    public string? BodyPath { get; init; }
}

/// <summary>How an operation pages; which members apply depends on <see cref="Strategy"/>.</summary>
public sealed record PaginationDefinition
{
    public required string Strategy { get; init; }
    public int? PageSize { get; init; }
    public ValueLocation? PageSizeParam { get; init; }
    public string? StopWhen { get; init; }
    public bool ShortPageIsLast { get; init; }
    public int? MaxPages { get; init; }
    public ValueSource? CursorFrom { get; init; }
    public ValueLocation? CursorTo { get; init; }
    public ValueLocation? OffsetParam { get; init; }
    public ValueLocation? PageParam { get; init; }
    /// <summary>The first offset (offset strategy, default 0) or page number (page_number strategy, default 1).</summary>
    public int? Start { get; init; }
    /// <summary><c>records</c> (advance by records returned, right when servers cap page sizes) or <c>page_size</c>.</summary>
    public string CountBy { get; init; } = "records";
    public bool SendOnFirst { get; init; } = true;
    public string Rel { get; init; } = "next";
    public ValueSource? NextUrlFrom { get; init; }
}

/// <summary>One response classification rule: the first whose <see cref="When"/> matches decides the action.</summary>
public sealed record ResponseRuleDefinition
{
    public string? Description { get; init; }
    public required ResponseMatch When { get; init; }
    public required string Action { get; init; }
    public TimeHeader? Wait { get; init; }
    public string? ErrorClass { get; init; }
}

/// <summary>The conditions of a rule; all given ones must hold.</summary>
public sealed record ResponseMatch
{
    /// <summary>Status codes (numbers) or classes such as <c>"5xx"</c>.</summary>
    public IReadOnlyList<JsonElement>? Status { get; init; }
    public HeaderMatch? Header { get; init; }
    /// <summary>A predicate over the parsed body.</summary>
    public string? Body { get; init; }
}

/// <summary>A header condition: present (or absent), optionally with an exact value.</summary>
public sealed record HeaderMatch
{
    public required string Name { get; init; }
    public bool Present { get; init; } = true;
    [JsonPropertyName("equals")]
    public string? EqualsValue { get; init; }
}

/// <summary>A header carrying a time, and how to read it.</summary>
public sealed record TimeHeader
{
    public required string Header { get; init; }
    public required string Unit { get; init; }
}

/// <summary>Which provider headers mean limit, remaining and reset.</summary>
public sealed record RateLimitDefinition
{
    public NamedHeader? Limit { get; init; }
    public NamedHeader? Remaining { get; init; }
    public TimeHeader? Reset { get; init; }
    /// <summary>The proactive request budget of each connection; absent: background calls go as fast as answers allow.</summary>
    public RequestBudgetDefinition? Budget { get; init; }
}

/// <summary>
/// How background calls of one connection are paced before the provider answers 429 (see <c>RequestBudget</c>):
/// at most <see cref="Requests"/> calls in any <see cref="PerSeconds"/> (per process), and a pause until the reset
/// once the mapped <c>remaining</c> falls to <see cref="MinRemaining"/> (across processes). Request-path calls are
/// counted but never delayed.
/// </summary>
public sealed record RequestBudgetDefinition
{
    public int? Requests { get; init; }
    public int? PerSeconds { get; init; }
    public int? MinRemaining { get; init; }
}

/// <summary>A header, by name.</summary>
public sealed record NamedHeader
{
    public required string Header { get; init; }
}
