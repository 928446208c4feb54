namespace IntegrationHealth.Ingestion.Providers;

/// <summary>A provider a tenant registers (or renames) by <see cref="Key"/> with <c>POST /v1/providers</c>.</summary>
/// <param name="Key">Lower-case letters, digits and '-', at most 100, starting with a letter or digit; unique within the
/// tenant, and not a platform provider's key.</param>
/// <param name="Name">Display name.</param>
/// <param name="Category">e.g. <c>crm</c>, <c>hris</c>, <c>erp</c> (the key rule applies).</param>
public sealed record ProviderInput(string Key, string Name, string? Category = null);

/// <summary>A provider the caller's tenant may name: the platform catalogue's (<see cref="Platform"/>) and its own.</summary>
public sealed record ProviderView(string Key, string Name, string? Category, bool Platform);
