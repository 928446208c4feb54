namespace IntegrationHealth.Api.Contracts;

/// <summary>Answer of <c>POST /v1/events</c>: events stored, and events skipped because their id was already stored.</summary>
public sealed record IngestResult(int Accepted, int Duplicates);

/// <summary>Answer of a bulk upsert.</summary>
public sealed record UpsertResult(int Inserted, int Updated);

/// <summary>One page of a list; pass <see cref="NextCursor"/> as <c>?cursor=</c> for the next, null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Answer of <c>/healthz</c> and <c>/readyz</c>.</summary>
public sealed record HealthStatus(string Status);
