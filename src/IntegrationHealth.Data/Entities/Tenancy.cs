namespace IntegrationHealth.Data.Entities;

/// <summary>A customer of IntegrationHealth (a B2B SaaS company). Every row below a tenant carries its id.</summary>
public sealed class Tenant
{
    public int Id { get; set; }
    /// <summary>URL-safe slug, unique, e.g. <c>demo</c>.</summary>
    public required string Key { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A tenant's deployment environment (production, staging, ...): the middle level of mapping overrides.</summary>
public sealed class TenantEnvironment
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
}

/// <summary>
/// Scopes an API key grants. Admin implies read and ingest within its tenant. Platform is the operators' scope
/// (the Hangfire job dashboard, which is platform-wide, not tenant data): it implies nothing else, and only the
/// <c>keys create</c> command grants it, never the API.
/// </summary>
[Flags]
public enum ApiKeyScopes
{
    None = 0,
    Ingest = 1,
    Read = 2,
    Admin = 4,
    Platform = 8,
}

/// <summary>An API key. Only a hash of the secret is stored; the secret is shown once at creation.</summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    /// <summary>Public, non-secret lookup part of the key (e.g. the first 12 characters after <c>ih_</c>).</summary>
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the whole key text.</summary>
    public required byte[] Hash { get; set; }
    public ApiKeyScopes Scopes { get; set; }
    public string? Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
