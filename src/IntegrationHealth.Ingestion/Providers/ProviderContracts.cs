namespace IntegrationHealth.Ingestion.Providers;

/// <summary>A catalogue provider.</summary>
public sealed record ProviderView(string Key, string Name, string? Category);
