namespace IntegrationHealth.Data;

/// <summary>Maps EF provider names to <see cref="StoreProvider"/>.</summary>
internal static class StoreProviders
{
    public const string SqliteEfProvider = "Microsoft.EntityFrameworkCore.Sqlite";
    public const string PostgresEfProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static StoreProvider FromEfProviderName(string? providerName) => providerName switch
    {
        SqliteEfProvider => StoreProvider.Sqlite,
        PostgresEfProvider => StoreProvider.Postgres,
        _ => throw new InvalidOperationException(
            $"The EF Core provider '{providerName}' is not supported by the IntegrationHealth store (SQLite or PostgreSQL only)."),
    };

    /// <summary>The migrations assembly of a provider.</summary>
    public static string MigrationsAssembly(StoreProvider provider) => provider switch
    {
        StoreProvider.Sqlite => "IntegrationHealth.Migrations.Sqlite",
        StoreProvider.Postgres => "IntegrationHealth.Migrations.Postgres",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };
}
